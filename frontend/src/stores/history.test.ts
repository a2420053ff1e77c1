import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  listChanges: vi.fn(),
  reconcileChanges: vi.fn(),
  getChange: vi.fn(),
}))

import * as api from '../api'
import { useHistoryStore } from './history'
import { change } from '../components/history/testdata'

const mocked = vi.mocked(api)

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('history store', () => {
  it('opens a database, refreshes from the target and drops late answers for another one', async () => {
    const store = useHistoryStore()
    let release: (v: api.Change[]) => void = () => {}
    mocked.listChanges.mockReturnValueOnce(new Promise((r) => (release = r)))
    const first = store.open('db1')
    mocked.listChanges.mockResolvedValueOnce([change({ id: 'c2', databaseId: 'db2' })])
    await store.open('db2')
    release([change({ id: 'c1' })])
    await first
    expect(store.databaseId).toBe('db2')
    expect(store.items.map((c) => c.id)).toEqual(['c2'])
    expect(store.loaded).toBe(true)

    mocked.reconcileChanges.mockResolvedValue([change({ id: 'other', seenOnSync: true, source: 'other machine' }), change({ id: 'c2' })])
    await store.refresh()
    expect(mocked.reconcileChanges).toHaveBeenCalledWith('db2')
    expect(store.items.map((c) => c.id)).toEqual(['other', 'c2'])
  })

  it('loads and closes a change detail', async () => {
    const store = useHistoryStore()
    mocked.listChanges.mockResolvedValue([])
    await store.open('db1')
    const d = { change: change({ id: 'c1' }), statement: 'CREATE TABLE t ()', beforeDdl: '', afterDdl: 'CREATE TABLE t ();', hasBefore: true, hasAfter: true, objects: [], hasObjects: true }
    mocked.getChange.mockResolvedValue(d)
    await store.select('c1')
    expect(mocked.getChange).toHaveBeenCalledWith('db1', 'c1')
    expect(store.detail).toEqual(d)
    store.closeDetail()
    expect(store.detail).toBeNull()
  })
})
