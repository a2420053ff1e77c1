import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/CompareService', () => ({
  Compare: vi.fn(),
  PickFile: vi.fn(),
  SaveMigration: vi.fn(),
  Settings: vi.fn(),
  SetScratchInstance: vi.fn(),
  Snapshots: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }))

import * as CompareService from '../../wailsjs/go/app/CompareService'
import { ClipboardSetText } from '../../wailsjs/runtime/runtime'
import * as api from './compare'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('compare facade', () => {
  it('sends both sides and the options, and fills nil slices from Go', async () => {
    m(CompareService.Compare).mockResolvedValue({
      sourceLabel: 'a',
      targetLabel: 'b',
      sourceDdl: 'x',
      targetDdl: 'y',
      statements: [{ sql: 'DROP TABLE t', hazards: null, transactional: true, object: 'table:t' }],
      script: 'DROP TABLE t;\n',
      validation: { status: 'refused', reason: 'r', refusals: null },
      unsupported: null,
      columnOrder: null,
      identical: false,
      online: true,
      notes: null,
    })
    const r = await api.compareSchemas({
      source: { ...api.emptySide('database'), databaseId: 'd1' },
      target: { ...api.emptySide('file'), sql: 'CREATE TABLE t ()' },
      online: true,
      includePrivileges: false,
    })
    const sent = m(CompareService.Compare).mock.calls[0]![0]
    expect(sent).toMatchObject({
      source: { kind: 'database', databaseId: 'd1' },
      target: { kind: 'file', sql: 'CREATE TABLE t ()' },
      online: true,
      includePrivileges: false,
    })
    expect(r.statements[0]!.hazards).toEqual([])
    expect(r.statements[0]!.lockTimeoutMs).toBe(0)
    expect(r.validation.refusals).toEqual([])
    expect(r.unsupported).toEqual([])
    expect(r.columnOrder).toEqual([])
    expect(r.notes).toEqual([])
  })

  it('rejects with the Go error parsed (message and SQLSTATE)', async () => {
    m(CompareService.Compare).mockRejectedValue('{"message":"schema.sql:2: syntax error at or near \\"TABEL\\"","sqlstate":"42601"}')
    const err = await api.compareSchemas({ source: api.emptySide(), target: api.emptySide(), online: false, includePrivileges: false }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ sqlstate: '42601', message: 'schema.sql:2: syntax error at or near "TABEL"' })
  })

  it('passes dialogs, settings and snapshots through', async () => {
    m(CompareService.SaveMigration).mockResolvedValue('/tmp/m.sql')
    await expect(api.saveMigration('SELECT 1;', 'm.sql')).resolves.toBe('/tmp/m.sql')
    expect(CompareService.SaveMigration).toHaveBeenCalledWith('SELECT 1;', 'm.sql')
    m(CompareService.PickFile).mockResolvedValue('')
    await expect(api.pickSchemaFile()).resolves.toBe('')
    m(CompareService.SetScratchInstance).mockResolvedValue({ scratchInstanceId: 'i1' })
    await expect(api.setScratchInstance('i1')).resolves.toEqual({ scratchInstanceId: 'i1' })
    m(CompareService.Snapshots).mockResolvedValue(null)
    await expect(api.listSnapshots('d1')).resolves.toEqual([])
    expect(CompareService.Snapshots).toHaveBeenCalledWith('d1')
  })

  it('copies through the desktop clipboard, falling back to the browser one', async () => {
    m(ClipboardSetText).mockResolvedValue(true)
    await api.copyText('A')
    expect(ClipboardSetText).toHaveBeenCalledWith('A')
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    m(ClipboardSetText).mockRejectedValue(new Error('no runtime'))
    await api.copyText('B')
    expect(writeText).toHaveBeenCalledWith('B')
  })
})
