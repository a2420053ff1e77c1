import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  schemaSummary: vi.fn(),
  syncSchema: vi.fn(),
  schemaTree: vi.fn(),
  schemaObject: vi.fn(),
  schemaDDL: vi.fn(),
  chooseDDLPath: vi.fn(),
  saveDDL: vi.fn(),
  copyToClipboard: vi.fn(),
}))

import * as api from '../api'
import type { SchemaNode, SchemaSummary } from '../api'
import { filterTree, findNode, useSchemaStore } from './schema'

const mocked = vi.mocked(api)

function summaryOf(extra: Partial<SchemaSummary> = {}): SchemaSummary {
  return {
    databaseId: 'd1',
    synced: true,
    snapshot: {
      id: 's1',
      databaseId: 'd1',
      takenAt: '2026-01-01T00:00:00Z',
      durationMs: 42,
      fingerprint: 'f',
      serverVersion: '15.14',
      modelSize: 1,
      ddlSize: 1,
      unsupported: [],
      skipped: [],
    },
    counts: { schemas: 1, tables: 1, views: 0, materializedViews: 0, functions: 0, procedures: 0, types: 0, sequences: 0 },
    lastAttemptAt: '2026-01-01T00:00:00Z',
    lastError: '',
    lastSqlstate: '',
    ...extra,
  }
}

const n = (id: string, label: string, kind: string, children: SchemaNode[] = []): SchemaNode => ({ id, label, kind, detail: '', children })
const sampleTree = () => [
  n('schema:hr', 'hr', 'schema', [
    n('group:schema:hr/tables', 'Tables (2)', 'group', [
      n('table:hr.employees', 'employees', 'table', [n('group:table:hr.employees/columns', 'Columns (1)', 'group', [n('table:hr.employees/column:emp_no', 'emp_no', 'column')])]),
      n('table:hr.salaries', 'salaries', 'table'),
    ]),
  ]),
  n('schema:public', 'public', 'schema'),
]

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('tree helpers', () => {
  it('filters by name keeping ancestors; groups alone do not match', () => {
    const f = filterTree(sampleTree(), 'EMP')
    expect(f.map((x) => x.id)).toEqual(['schema:hr'])
    const tables = f[0]!.children[0]!
    expect(tables.children.map((x) => x.id)).toEqual(['table:hr.employees'])
    expect(filterTree(sampleTree(), 'tables')).toEqual([])
    expect(filterTree(sampleTree(), '  ')).toEqual(sampleTree())
    expect(findNode(sampleTree(), 'table:hr.employees/column:emp_no')?.label).toBe('emp_no')
    expect(findNode(sampleTree(), 'nope')).toBeUndefined()
  })
})

describe('schema store', () => {
  it('opens a synced database: summary, then tree', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: sampleTree() })
    const s = useSchemaStore()
    await s.open('d1')
    expect(s.synced).toBe(true)
    expect(s.tree?.nodes).toHaveLength(2)
    expect(mocked.schemaTree).toHaveBeenCalledWith('d1')
  })

  it('does not ask for a tree before the first sync', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf({ synced: false }))
    const s = useSchemaStore()
    await s.open('d1')
    expect(s.synced).toBe(false)
    expect(mocked.schemaTree).not.toHaveBeenCalled()
  })

  it('syncs, reloads the tree and the selected object, and drops the cached DDL', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: sampleTree() })
    mocked.schemaObject.mockResolvedValue({ id: 'table:hr.employees', kind: 'table', schema: 'hr', name: 'employees', parent: '', properties: [], ddl: 'CREATE TABLE hr.employees ()' })
    mocked.schemaDDL.mockResolvedValue('-- v1')
    const s = useSchemaStore()
    await s.open('d1')
    await s.select('table:hr.employees')
    expect(s.detail?.ddl).toContain('CREATE TABLE')
    expect(await s.loadDDL()).toBe('-- v1')
    await s.loadDDL()
    expect(mocked.schemaDDL).toHaveBeenCalledTimes(1)

    mocked.syncSchema.mockResolvedValue(summaryOf({ snapshot: { ...summaryOf().snapshot, id: 's2' } }))
    mocked.schemaDDL.mockResolvedValue('-- v2')
    await s.sync()
    expect(s.summary?.snapshot.id).toBe('s2')
    expect(mocked.schemaTree).toHaveBeenCalledTimes(2)
    expect(mocked.schemaObject).toHaveBeenCalledTimes(2)
    expect(s.ddl).toBeNull()
    expect(await s.loadDDL()).toBe('-- v2')
  })

  it('on a failed sync reloads the summary (previous snapshot + error) and rethrows', async () => {
    mocked.schemaSummary.mockResolvedValueOnce(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: sampleTree() })
    const s = useSchemaStore()
    await s.open('d1')
    const err = new api.ApiError({ message: 'database "d" does not exist', sqlstate: '3D000' })
    mocked.syncSchema.mockRejectedValue(err)
    mocked.schemaSummary.mockResolvedValueOnce(summaryOf({ lastError: 'database "d" does not exist', lastSqlstate: '3D000' }))
    await expect(s.sync()).rejects.toBe(err)
    expect(s.failed).toBe(true)
    expect(s.summary?.snapshot.id).toBe('s1')
    expect(s.tree?.nodes).toHaveLength(2)
    expect(s.syncing).toBe(false)
  })

  it('ignores group nodes and drops a selection that vanished after a sync', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValueOnce({ snapshotId: 's1', nodes: sampleTree() })
    mocked.schemaObject.mockResolvedValue({ id: 'table:hr.salaries', kind: 'table', schema: 'hr', name: 'salaries', parent: '', properties: [], ddl: '' })
    const s = useSchemaStore()
    await s.open('d1')
    await s.select('group:schema:hr/tables')
    expect(mocked.schemaObject).not.toHaveBeenCalled()
    await s.select('table:hr.salaries')
    mocked.syncSchema.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValueOnce({ snapshotId: 's2', nodes: [n('schema:hr', 'hr', 'schema')] })
    await s.sync()
    expect(s.selectedId).toBe('')
    expect(s.detail).toBeNull()
  })

  it('a late answer for the previous database is dropped', async () => {
    let resolveFirst: (v: SchemaSummary) => void = () => {}
    mocked.schemaSummary.mockReturnValueOnce(new Promise((r) => (resolveFirst = r)))
    mocked.schemaSummary.mockResolvedValueOnce(summaryOf({ databaseId: 'd2', synced: false }))
    const s = useSchemaStore()
    const first = s.open('d1')
    await s.open('d2')
    resolveFirst(summaryOf())
    await first
    expect(s.databaseId).toBe('d2')
    expect(s.summary?.databaseId).toBe('d2')
  })

  it('save as: nothing written when the dialog is cancelled', async () => {
    const s = useSchemaStore()
    s.databaseId = 'd1'
    mocked.chooseDDLPath.mockResolvedValue('')
    expect(await s.saveAs()).toBe('')
    expect(mocked.saveDDL).not.toHaveBeenCalled()
    mocked.chooseDDLPath.mockResolvedValue('/tmp/d1.sql')
    expect(await s.saveAs()).toBe('/tmp/d1.sql')
    expect(mocked.saveDDL).toHaveBeenCalledWith('d1', '/tmp/d1.sql')
    mocked.schemaDDL.mockResolvedValue('DDL')
    await s.copyDDL()
    expect(mocked.copyToClipboard).toHaveBeenCalledWith('DDL')
  })
})
