import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  runQuery: vi.fn(),
  cancelQuery: vi.fn(),
  closeQueryTab: vi.fn(),
  queryHistory: vi.fn(),
  schemaTree: vi.fn(),
  listTabs: vi.fn(),
  saveTabs: vi.fn(),
  completion: vi.fn(),
  explain: vi.fn(),
  exportToFile: vi.fn(),
  cancelExport: vi.fn(),
  chooseExportPath: vi.fn(),
  onExportProgress: vi.fn(),
}))

import * as api from '../api'
import { useQueryStore } from './query'

const mocked = vi.mocked(api)
const outcome = (over: Partial<api.QueryOutcome> = {}): api.QueryOutcome => ({ mode: 'read-only', results: [], error: null, inTransaction: false, ...over })

// the workspace's kept tabs: saveTabs replaces them, listTabs reads them back
let kept: api.QueryTab[] = []
let progress: (p: api.ExportProgress) => void = () => {}

beforeEach(() => {
  vi.clearAllMocks()
  kept = []
  setActivePinia(createPinia())
  mocked.closeQueryTab.mockResolvedValue()
  mocked.listTabs.mockImplementation(async () => structuredClone(kept))
  mocked.saveTabs.mockImplementation(async (t) => void (kept = structuredClone(t)))
  mocked.onExportProgress.mockImplementation((h) => ((progress = h), () => {}))
})

describe('query store', () => {
  it('keeps tabs (text, database, limit, timeout, which is active) in the workspace, never results or admin mode', async () => {
    const store = useQueryStore()
    await store.load('db1')
    expect(store.tabs).toHaveLength(1)
    const t = store.active!
    expect([t.databaseId, t.limit, t.timeoutSeconds, t.title]).toEqual(['db1', 1000, 30, 'Query 1'])
    store.update(t.id, { sql: 'SELECT 1', limit: 50 })
    const second = store.open('db2', 'SELECT 2')
    await store.setAdmin(second.id, true, 'db2name')
    await store.flush()
    expect(kept.map((k) => [k.title, k.databaseId, k.sql, k.limit, k.timeoutSeconds, k.active])).toEqual([
      ['Query 1', 'db1', 'SELECT 1', 50, 30, false],
      ['Query 2', 'db2', 'SELECT 2', 1000, 30, true],
    ])
    expect(Object.keys(kept[1]!)).not.toContain('admin')

    setActivePinia(createPinia())
    const again = useQueryStore()
    await again.load()
    expect(again.tabs.map((x) => [x.title, x.databaseId, x.sql, x.limit, x.admin])).toEqual([
      ['Query 1', 'db1', 'SELECT 1', 50, false],
      ['Query 2', 'db2', 'SELECT 2', 1000, false],
    ])
    expect(again.active?.title).toBe('Query 2')
    // ?database= focuses a tab on that database instead of opening another
    await again.load('db1')
    expect(again.active?.title).toBe('Query 1')
    expect(again.tabs).toHaveLength(2)
    expect(mocked.listTabs).toHaveBeenCalledTimes(2)
  })

  it('reads the workspace defaults (0: 1,000 rows, 30 s) and opens an empty tab when none is kept', async () => {
    kept = [{ id: 'k1', title: 'Mine', databaseId: 'db9', sql: 'TABLE t', limit: 0, timeoutSeconds: 0, active: false }]
    const store = useQueryStore()
    await store.load()
    expect([store.active?.id, store.active?.limit, store.active?.timeoutSeconds]).toEqual(['k1', 1000, 30])
    kept = []
    setActivePinia(createPinia())
    const empty = useQueryStore()
    await empty.load()
    expect(empty.tabs).toHaveLength(1)
    expect(empty.active?.databaseId).toBe('')
  })

  it('never saves over the kept tabs before they were read (reading them failed)', async () => {
    kept = [{ id: 'k1', title: 'Mine', databaseId: 'db9', sql: 'TABLE t', limit: 0, timeoutSeconds: 0, active: true }]
    const store = useQueryStore()
    mocked.listTabs.mockRejectedValueOnce(new api.ApiError({ message: 'workspace is locked' }))
    await expect(store.load()).rejects.toThrow('workspace is locked')
    expect(store.loaded).toBe(false)
    await store.flush()
    expect(mocked.saveTabs).not.toHaveBeenCalled()
    // the next visit reads them
    await store.load()
    expect(store.tabs.map((t) => t.sql)).toEqual(['TABLE t'])
  })

  it('keeps a failed save for the page to show; the tabs stay open', async () => {
    const store = useQueryStore()
    await store.load('db1')
    mocked.saveTabs.mockRejectedValueOnce(new api.ApiError({ message: 'database is locked' }))
    await store.flush()
    expect(store.saveError?.message).toBe('database is locked')
    expect(store.tabs).toHaveLength(1)
    await store.flush()
    expect(store.saveError).toBeNull()
  })

  it('runs with the tab as session key, its limit, timeout and mode, and keeps the outcome and open transaction', async () => {
    const store = useQueryStore()
    await store.load('db1')
    const t = store.active!
    store.update(t.id, { limit: 20, timeoutSeconds: 5 })
    await store.setAdmin(t.id, true, 'hr_prod')
    mocked.runQuery.mockResolvedValue(outcome({ mode: 'admin', inTransaction: true }))
    const o = await store.run(t.id, 'BEGIN', 3)
    expect(o?.inTransaction).toBe(true)
    expect(mocked.runQuery).toHaveBeenCalledWith({ tab: t.id, databaseId: 'db1', sql: 'BEGIN', admin: true, confirmDatabase: 'hr_prod', limit: 20, timeoutMs: 5000 })
    expect(store.active!.inTransaction).toBe(true)
    expect(store.active!.run?.base).toBe(3)
    expect(store.active!.running).toBe(false)

    // switching back to read-only closes the admin session (rolling the transaction back)
    await store.setAdmin(t.id, false)
    expect(mocked.closeQueryTab).toHaveBeenLastCalledWith(t.id)
    expect([store.active!.admin, store.active!.confirmDatabase, store.active!.inTransaction]).toEqual([false, '', false])

    // fetch more: one run with a larger limit, the tab's own limit unchanged
    await store.run(t.id, 'SELECT 1', 0, 200)
    expect(mocked.runQuery).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 200, admin: false, confirmDatabase: '' }))
    expect(store.active!.limit).toBe(20)
  })

  it('keeps a failed call with its SQLSTATE, and a run without a database or text is not sent', async () => {
    const store = useQueryStore()
    await store.load()
    const t = store.active!
    expect(await store.run(t.id, 'SELECT 1')).toBeNull()
    await store.setDatabase(t.id, 'db1')
    expect(await store.run(t.id, '   ')).toBeNull()
    expect(mocked.runQuery).not.toHaveBeenCalled()
    mocked.runQuery.mockRejectedValue(new api.ApiError({ message: 'connection refused', sqlstate: '08006' }))
    await store.run(t.id, 'SELECT 1')
    expect(store.active!.run?.failure?.message).toBe('connection refused')
    expect(store.active!.run?.failure?.sqlstate).toBe('08006')
    expect(store.active!.sql).toBe('')
  })

  it('drops the outcome of an older run that answers after a newer one started', async () => {
    const store = useQueryStore()
    await store.load('db1')
    const t = store.active!
    let release: (o: api.QueryOutcome) => void = () => {}
    mocked.runQuery.mockReturnValueOnce(new Promise((r) => (release = r)))
    const first = store.run(t.id, 'SELECT pg_sleep(1)')
    store.active!.running = false
    mocked.runQuery.mockResolvedValueOnce(outcome({ results: [{ tag: 'SELECT 1', columns: [], rows: [], limitReached: false, elapsedMs: 1, start: 0, end: 8 }] }))
    await store.run(t.id, 'SELECT 1')
    release(outcome({ error: { message: 'canceling statement due to user request', sqlstate: '57014', detail: '', hint: '', fence: '', index: 0, offset: 0, line: 0, column: 0 } }))
    await first
    expect(store.active!.run?.sent).toBe('SELECT 1')
    expect(store.active!.run?.outcome?.error).toBeNull()
  })

  it('closes a tab (ending its session), moves to a neighbour, cancels through the tab id', async () => {
    const store = useQueryStore()
    await store.load('db1')
    const a = store.active!
    const b = store.open('db1')
    mocked.cancelQuery.mockResolvedValue(true)
    expect(await store.cancel(b.id)).toBe(true)
    expect(mocked.cancelQuery).toHaveBeenCalledWith(b.id)
    await store.close(b.id)
    expect(mocked.closeQueryTab).toHaveBeenCalledWith(b.id)
    expect(store.tabs.map((t) => t.id)).toEqual([a.id])
    expect(store.activeId).toBe(a.id)
  })

  it('loads a database tree once for the browser, and its completion catalog', async () => {
    const store = useQueryStore()
    mocked.schemaTree.mockResolvedValue({
      snapshotId: 's1',
      nodes: [{ id: 'schema:hr', label: 'hr', kind: 'schema', detail: '', children: [{ id: 'table:hr.t', label: 't', kind: 'table', detail: '', children: [] }] }],
    })
    await store.loadTree('db1')
    await store.loadTree('db1')
    expect(mocked.schemaTree).toHaveBeenCalledTimes(1)
    expect(store.trees.db1?.[0]?.children[0]?.schema).toBe('hr')
    await store.loadTree('db1', true)
    expect(mocked.schemaTree).toHaveBeenCalledTimes(2)
    const cat = { schemas: [{ name: 'hr', tables: [], functions: [] }] }
    mocked.completion.mockResolvedValue(cat)
    await store.loadCatalog('db1')
    await store.loadCatalog('db1')
    expect(mocked.completion).toHaveBeenCalledTimes(1)
    expect(store.catalogs.db1).toEqual(cat)
  })

  it('explains in the tab session and keeps the plan; ANALYZE goes with the mode', async () => {
    const store = useQueryStore()
    await store.load('db1')
    const t = store.active!
    await store.setAdmin(t.id, true, 'hr_prod')
    const plan = { nodeType: 'Seq Scan', startupCost: 0, totalCost: 1, planRows: 1, actualTotalTime: 0.1, slowest: true }
    mocked.explain.mockResolvedValue({ mode: 'admin', plan, error: null, inTransaction: false })
    await store.explain(t.id, 'SELECT 1', 4, true)
    expect(mocked.explain).toHaveBeenCalledWith({ tab: t.id, databaseId: 'db1', sql: 'SELECT 1', analyze: true, admin: true, confirmDatabase: 'hr_prod', timeoutMs: 30000 })
    expect(store.active!.run?.plan).toEqual(plan)
    expect(store.active!.run?.explain).toBe(true)
    expect(store.active!.run?.base).toBe(4)
  })

  it('exports through the save dialog and follows the job by its progress events, also those before the id came back', async () => {
    const store = useQueryStore()
    await store.load('db1')
    const t = store.active!
    mocked.chooseExportPath.mockResolvedValueOnce('')
    expect(await store.startExport(t.id, 'SELECT 1', 'csv')).toBe('')
    expect(mocked.exportToFile).not.toHaveBeenCalled()

    mocked.chooseExportPath.mockResolvedValue('/tmp/q.xlsx')
    mocked.exportToFile.mockImplementation(async () => {
      progress({ jobId: 'j1', rows: 10, bytes: 100, done: false, error: '', sqlstate: '', canceled: false, path: '/tmp/q.xlsx' })
      return 'j1'
    })
    expect(await store.startExport(t.id, 'SELECT * FROM big', 'xlsx')).toBe('j1')
    expect(mocked.chooseExportPath).toHaveBeenLastCalledWith('Query_1.xlsx')
    expect(mocked.exportToFile).toHaveBeenCalledWith(expect.objectContaining({ databaseId: 'db1', tab: t.id, sql: 'SELECT * FROM big', format: 'xlsx', path: '/tmp/q.xlsx', admin: false }))
    expect(store.exports.j1).toMatchObject({ tabId: t.id, format: 'xlsx', rows: 10, done: false })
    progress({ jobId: 'j1', rows: 0, bytes: 0, done: true, error: 'export cancelled', sqlstate: '57014', canceled: true, path: '/tmp/q.xlsx' })
    expect(store.exports.j1).toMatchObject({ done: true, canceled: true, sqlstate: '57014', tabId: t.id })
    mocked.cancelExport.mockResolvedValue(false)
    await store.cancelExport('j1')
    expect(mocked.cancelExport).toHaveBeenCalledWith('j1')
    store.dismissExport('j1')
    expect(store.exports.j1).toBeUndefined()
  })
})
