import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/QueryService', () => ({
  Run: vi.fn(),
  Cancel: vi.fn(),
  CloseTab: vi.fn(),
  History: vi.fn(),
  ListTabs: vi.fn(),
  SaveTabs: vi.fn(),
  Completion: vi.fn(),
  ExportToFile: vi.fn(),
  CancelExport: vi.fn(),
  ChooseExportPath: vi.fn(),
  Explain: vi.fn(),
  CellValue: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }))

import * as QueryService from '../../wailsjs/go/app/QueryService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as api from './query'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

const req = { tab: 't1', databaseId: 'db1', sql: 'DELETE FROM t', admin: false, confirmDatabase: '', limit: 0, timeoutMs: 0 }

describe('query facade', () => {
  it('turns Go nil lists into arrays and keeps a refusal with its fence and position', async () => {
    m(QueryService.Run).mockResolvedValue({
      mode: 'read-only', inTransaction: false, results: null,
      error: { message: 'refused by the read-only allow-list fence: DELETE is not a read-only statement', sqlstate: '', detail: '', hint: 'switch to admin mode', fence: 'allow-list', index: 0, offset: 0, line: 1, column: 1 },
    })
    const o = await api.runQuery(req)
    expect(QueryService.Run).toHaveBeenCalledWith(expect.objectContaining(req))
    expect(o.results).toEqual([])
    expect(o.error?.fence).toBe('allow-list')
    expect(o.error?.line).toBe(1)
  })

  it('keeps NULL cells distinct from empty strings', async () => {
    m(QueryService.Run).mockResolvedValue({
      mode: 'read-only', inTransaction: false, error: null,
      results: [{ tag: 'SELECT 2', columns: [{ name: 'v', type: 'text', oid: 25 }], rows: [[{ text: '', null: true }], [{ text: '' }]], limitReached: true, elapsedMs: 1.5, start: 0, end: 8 }],
    })
    const o = await api.runQuery({ ...req, sql: 'SELECT v' })
    expect(o.results[0]!.rows[0]![0]!.null).toBe(true)
    expect(o.results[0]!.rows[1]![0]!.null).toBeUndefined()
    expect(o.results[0]!.limitReached).toBe(true)
  })

  it('history: nil is an empty list; a failure keeps its message', async () => {
    m(QueryService.History).mockResolvedValue(null)
    expect(await api.queryHistory('db1', 'alter')).toEqual([])
    expect(QueryService.History).toHaveBeenCalledWith('db1', 'alter', 200)
    m(QueryService.Run).mockRejectedValue(JSON.stringify({ message: 'cannot reach 127.0.0.1:1: connection refused', field: 'port' }))
    const err = await api.runQuery(req).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
  })

  it('tabs: nil is an empty list; saved tabs are passed whole and in order', async () => {
    m(QueryService.ListTabs).mockResolvedValue(null)
    expect(await api.listTabs()).toEqual([])
    m(QueryService.ListTabs).mockResolvedValue([{ id: 'b', title: 'Q', databaseId: 'db1', sql: 'SELECT 1', limit: 0, timeoutSeconds: 0, active: true }])
    expect((await api.listTabs())[0]!.active).toBe(true)
    const tabs = [
      { id: 'b', title: 'Q2', databaseId: '', sql: '', limit: -1, timeoutSeconds: 5, active: false },
      { id: 'a', title: 'Q1', databaseId: 'db1', sql: 'SELECT 1', limit: 0, timeoutSeconds: 0, active: true },
    ]
    m(QueryService.SaveTabs).mockResolvedValue(undefined)
    await api.saveTabs(tabs)
    expect(QueryService.SaveTabs).toHaveBeenCalledWith(tabs)
  })

  it('completion: Go nil lists become arrays', async () => {
    m(QueryService.Completion).mockResolvedValue({
      schemas: [{ name: 'public', tables: [{ name: 'ft', kind: 'foreign table', columns: null }], functions: null }],
    })
    const c = await api.completion('db1')
    expect(QueryService.Completion).toHaveBeenCalledWith('db1')
    expect(c.schemas[0]!.tables[0]!.columns).toEqual([])
    expect(c.schemas[0]!.functions).toEqual([])
  })

  it('export: the request is passed with defaults; progress events are checked and filled in', async () => {
    m(QueryService.ExportToFile).mockResolvedValue('job1')
    const req = { databaseId: 'db1', tab: 't1', sql: 'SELECT 1', format: 'csv' as const, path: '/tmp/a.csv', admin: false }
    expect(await api.exportToFile(req)).toBe('job1')
    expect(QueryService.ExportToFile).toHaveBeenCalledWith({ ...req, confirmDatabase: '', timeoutMs: 0 })
    let listener: ((p: unknown) => void) | undefined
    m(EventsOn).mockImplementation((name: string, cb: (p: unknown) => void) => {
      expect(name).toBe('query:export')
      listener = cb
      return () => {}
    })
    const seen: api.ExportProgress[] = []
    api.onExportProgress((p) => seen.push(p))
    listener!(null)
    listener!({ rows: 3 })
    listener!({ jobId: 'job1', rows: 10, bytes: 99 })
    listener!({ jobId: 'job1', rows: 10, done: true, canceled: true, error: 'the export was cancelled' })
    expect(seen).toHaveLength(2)
    expect(seen[0]).toEqual({ jobId: 'job1', rows: 10, bytes: 99, done: false, error: '', sqlstate: '', canceled: false, path: '' })
    expect(seen[1]!.canceled).toBe(true)
  })

  it('explain: a refusal comes back in the outcome, the plan null', async () => {
    m(QueryService.Explain).mockResolvedValue({ mode: 'read-only', plan: null, inTransaction: false,
      error: { message: 'refused by the read-only allow-list fence', sqlstate: '', detail: '', hint: 'admin mode', fence: 'allow-list', index: 0, offset: 0, line: 1, column: 1 } })
    const o = await api.explain({ tab: 't1', databaseId: 'db1', sql: 'SELECT 1', analyze: true, admin: false })
    expect(QueryService.Explain).toHaveBeenCalledWith(expect.objectContaining({ analyze: true, confirmDatabase: '', timeoutMs: 0 }))
    expect(o.plan).toBeNull()
    expect(o.error?.fence).toBe('allow-list')
  })

  it('cellValue asks for the cell of the tab\'s last run', async () => {
    m(QueryService.CellValue).mockResolvedValue('x'.repeat(70000))
    expect((await api.cellValue('t1', 0, 2, 1)).length).toBe(70000)
    expect(QueryService.CellValue).toHaveBeenCalledWith('t1', 0, 2, 1)
  })
})
