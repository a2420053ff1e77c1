import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  compareSchemas: vi.fn(),
  pickSchemaFile: vi.fn(),
  saveMigration: vi.fn(),
  compareSettings: vi.fn(),
  setScratchInstance: vi.fn(),
  listSnapshots: vi.fn(),
  copyText: vi.fn(),
}))

import * as api from '../api'
import { complete, draft, toSide, useCompareStore } from './compare'
import { compareResult } from '../components/compare/testdata'

const mocked = vi.mocked(api)

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('compare sides', () => {
  it('knows when a side is complete and sends only what its kind uses', () => {
    const s = draft('file')
    expect(complete(s)).toBe(false)
    s.path = '/x/schema.sql'
    s.sql = 'CREATE TABLE t ()'
    expect(complete(s)).toBe(true)
    expect(toSide(s)).toEqual({ kind: 'file', databaseId: '', snapshotId: '', path: '/x/schema.sql', sql: '' })
    s.fileMode = 'paste'
    expect(toSide(s)).toEqual({ kind: 'file', databaseId: '', snapshotId: '', path: '', sql: 'CREATE TABLE t ()' })
    s.sql = '   '
    expect(complete(s)).toBe(false)
    const snap = { ...draft('snapshot'), snapshotDatabaseId: 'd1', databaseId: 'stale' }
    expect(complete(snap)).toBe(false)
    snap.snapshotId = 's1'
    expect(toSide(snap)).toEqual({ kind: 'snapshot', databaseId: '', snapshotId: 's1', path: '', sql: '' })
  })
})

describe('compare store', () => {
  it('runs only when both sides are chosen, and keeps the result', async () => {
    const store = useCompareStore()
    await store.run()
    expect(mocked.compareSchemas).not.toHaveBeenCalled()
    store.source.databaseId = 'd1'
    store.target.databaseId = 'd2'
    store.online = true
    const r = compareResult()
    mocked.compareSchemas.mockResolvedValue(r)
    await store.run()
    expect(mocked.compareSchemas).toHaveBeenCalledWith({
      source: { kind: 'database', databaseId: 'd1', snapshotId: '', path: '', sql: '' },
      target: { kind: 'database', databaseId: 'd2', snapshotId: '', path: '', sql: '' },
      online: true,
      includePrivileges: false,
    })
    expect(store.result).toEqual(r)
    expect(store.running).toBe(false)
    expect(store.canSave).toBe(true)
  })

  it('keeps the error (message and SQLSTATE) and drops the old result', async () => {
    const store = useCompareStore()
    store.source.databaseId = 'd1'
    store.target.databaseId = 'd2'
    store.result = compareResult()
    mocked.compareSchemas.mockRejectedValue(new api.ApiError({ message: 'permission denied to create database', sqlstate: '42501' }))
    await store.run()
    expect(store.result).toBeNull()
    expect(store.error).toMatchObject({ message: 'permission denied to create database', sqlstate: '42501' })
  })

  it('offers no copy or save for a refused or identical plan', async () => {
    const store = useCompareStore()
    store.result = compareResult({ validation: { status: 'refused', reason: 'no', refusals: [] }, script: '' })
    expect(store.canSave).toBe(false)
    await store.save()
    await store.copy()
    expect(mocked.saveMigration).not.toHaveBeenCalled()
    expect(mocked.copyText).not.toHaveBeenCalled()
    store.result = compareResult({ identical: true, statements: [] })
    expect(store.canSave).toBe(false)
    store.result = compareResult()
    mocked.saveMigration.mockResolvedValue('/tmp/migration.sql')
    await expect(store.save()).resolves.toBe('/tmp/migration.sql')
    expect(mocked.saveMigration).toHaveBeenCalledWith(store.result.script, 'migration.sql')
  })

  it('swaps sides, picks files, preselects a database and caches snapshots', async () => {
    const store = useCompareStore()
    store.source.databaseId = 'd1'
    store.target = { ...draft('file'), path: '/a.sql' }
    store.swap()
    expect(store.source.kind).toBe('file')
    expect(store.target.databaseId).toBe('d1')
    mocked.pickSchemaFile.mockResolvedValueOnce('/b.sql')
    await store.pickFile('target')
    expect(store.target).toMatchObject({ kind: 'file', fileMode: 'path', path: '/b.sql' })
    mocked.pickSchemaFile.mockResolvedValueOnce('')
    await store.pickFile('target')
    expect(store.target.path).toBe('/b.sql') // cancelled: unchanged
    store.compareWith('d9')
    expect(store.source).toMatchObject({ kind: 'database', databaseId: 'd9' })
    mocked.listSnapshots.mockResolvedValue([{ id: 's1', databaseId: 'd9', takenAt: '2026-01-01T00:00:00Z', fingerprint: 'f' }])
    await store.loadSnapshots('d9')
    await store.loadSnapshots('d9')
    expect(mocked.listSnapshots).toHaveBeenCalledTimes(1)
    expect(store.snapshots.d9).toHaveLength(1)
  })

  it('loads and saves the scratch instance setting', async () => {
    const store = useCompareStore()
    mocked.compareSettings.mockResolvedValue({ scratchInstanceId: 'i1' })
    await store.loadSettings()
    expect(store.scratchInstanceId).toBe('i1')
    mocked.setScratchInstance.mockResolvedValue({ scratchInstanceId: '' })
    await store.setScratch('')
    expect(mocked.setScratchInstance).toHaveBeenCalledWith('')
    expect(store.scratchInstanceId).toBe('')
  })
})
