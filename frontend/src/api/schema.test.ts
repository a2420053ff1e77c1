import { beforeEach, describe, expect, it, vi } from 'vitest'

// The schema facade over the generated SchemaService bindings, replaced by fakes.
vi.mock('../../wailsjs/go/app/SchemaService', () => ({
  Summary: vi.fn(),
  Sync: vi.fn(),
  Latest: vi.fn(),
  Snapshots: vi.fn(),
  Tree: vi.fn(),
  Object: vi.fn(),
  DDL: vi.fn(),
  ChooseSavePath: vi.fn(),
  SaveDDL: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }))

import * as SchemaService from '../../wailsjs/go/app/SchemaService'
import { ClipboardSetText } from '../../wailsjs/runtime/runtime'
import * as api from './schema'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('schema facade', () => {
  it('fills what Go leaves out of a never-synced summary (nil slices arrive as null)', async () => {
    m(SchemaService.Summary).mockResolvedValue({ databaseId: 'd1', synced: false, snapshot: { unsupported: null, skipped: null } })
    const s = await api.schemaSummary('d1')
    expect(SchemaService.Summary).toHaveBeenCalledWith('d1')
    expect(s.synced).toBe(false)
    expect(s.snapshot.unsupported).toEqual([])
    expect(s.snapshot.skipped).toEqual([])
    expect(s.counts.tables).toBe(0)
    expect(s.lastError).toBe('')
  })

  it('passes a sync summary through', async () => {
    const snap = { id: 's1', takenAt: '2026-01-01T00:00:00Z', durationMs: 120, unsupported: [{ kind: 'rule', schema: 'public', name: 'r', detail: '' }], skipped: [] }
    m(SchemaService.Sync).mockResolvedValue({ databaseId: 'd1', synced: true, snapshot: snap, counts: { tables: 3 } })
    const s = await api.syncSchema('d1')
    expect(s.snapshot.id).toBe('s1')
    expect(s.snapshot.unsupported[0]?.kind).toBe('rule')
    expect(s.counts).toMatchObject({ tables: 3, views: 0 })
  })

  it('normalises tree nodes recursively', async () => {
    m(SchemaService.Tree).mockResolvedValue({
      snapshotId: 's1',
      nodes: [{ id: 'schema:app', label: 'app', kind: 'schema', children: [{ id: 'table:app.t', label: 't', kind: 'table', children: null }] }],
    })
    const t = await api.schemaTree('d1')
    expect(t.nodes[0]!.children[0]).toEqual({ id: 'table:app.t', label: 't', kind: 'table', detail: '', children: [] })
  })

  it('sends database and node ids unchanged and turns Go errors into ApiError', async () => {
    m(SchemaService.Object).mockResolvedValue({ id: 'table:app.t', kind: 'table', schema: 'app', name: 't', properties: null, ddl: 'CREATE TABLE app.t ()' })
    const d = await api.schemaObject('d1', 'table:app.t')
    expect(SchemaService.Object).toHaveBeenCalledWith('d1', 'table:app.t')
    expect(d.properties).toEqual([])
    expect(d.parent).toBe('')
    m(SchemaService.Sync).mockRejectedValue('{"message":"database \\"x\\" does not exist","sqlstate":"3D000"}')
    const err = await api.syncSchema('d1').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.sqlstate).toBe('3D000')
  })

  it('lists snapshots, an empty list for null', async () => {
    m(SchemaService.Snapshots).mockResolvedValue(null)
    await expect(api.schemaSnapshots('d1')).resolves.toEqual([])
    m(SchemaService.Latest).mockResolvedValue({ id: '', databaseId: 'd1' })
    expect((await api.latestSnapshot('d1')).id).toBe('')
  })

  it('saves through the dialog path and copies to the desktop clipboard, else the browser one', async () => {
    m(SchemaService.ChooseSavePath).mockResolvedValue('/tmp/x.sql')
    await expect(api.chooseDDLPath('d1')).resolves.toBe('/tmp/x.sql')
    await api.saveDDL('d1', '/tmp/x.sql')
    expect(SchemaService.SaveDDL).toHaveBeenCalledWith('d1', '/tmp/x.sql')

    m(ClipboardSetText).mockResolvedValue(true)
    await api.copyToClipboard('SELECT 1')
    expect(ClipboardSetText).toHaveBeenCalledWith('SELECT 1')
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(globalThis.navigator, 'clipboard', { value: { writeText }, configurable: true })
    m(ClipboardSetText).mockRejectedValue(new Error('no runtime'))
    await api.copyToClipboard('SELECT 2')
    expect(writeText).toHaveBeenCalledWith('SELECT 2')
  })
})
