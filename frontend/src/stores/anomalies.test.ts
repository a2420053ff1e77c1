import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api/anomaly', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/anomaly')>()),
  listAnomalies: vi.fn(),
  openAnomalyCount: vi.fn(),
  getAnomaly: vi.fn(),
  establishBaseline: vi.fn(),
  revertDrift: vi.fn(),
  onAnomalyChanged: vi.fn(),
}))

import * as api from '../api/anomaly'
import { useAnomaliesStore } from './anomalies'
import { anomaly, driftDetail } from '../components/anomaly/testdata'

const mocked = vi.mocked(api)

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('anomalies store', () => {
  it('lists under the filter, drops a late answer, and keeps each database’s drift', async () => {
    const s = useAnomaliesStore()
    let release: (v: api.Anomaly[]) => void = () => {}
    mocked.listAnomalies.mockReturnValueOnce(new Promise((r) => (release = r)))
    const first = s.load({ kind: 'instance_connection' })
    mocked.listAnomalies.mockResolvedValueOnce([anomaly({ id: 2 })])
    await s.load({ kind: 'schema_drift' })
    release([anomaly({ id: 1, kind: 'instance_connection' })])
    await first
    expect(s.items.map((a) => a.id)).toEqual([2])
    expect(s.filter).toEqual({ kind: 'schema_drift' })

    mocked.listAnomalies.mockResolvedValueOnce([anomaly({ id: 2, databaseId: 'db1' })])
    await s.loadDrift('db1')
    expect(mocked.listAnomalies).toHaveBeenLastCalledWith({ databaseId: 'db1', kind: 'schema_drift' })
    expect(s.driftOf.db1?.id).toBe(2)
    mocked.listAnomalies.mockResolvedValueOnce([])
    await s.loadDrift('db1')
    expect(s.driftOf.db1).toBeNull()
  })

  it('refreshes what is shown on anomaly:changed', async () => {
    const s = useAnomaliesStore()
    let handler: (n: number) => void = () => {}
    mocked.onAnomalyChanged.mockImplementation((h) => {
      handler = h
      return () => {}
    })
    const seen = vi.fn()
    s.listen(seen)
    s.listen()
    expect(mocked.onAnomalyChanged).toHaveBeenCalledTimes(1)

    mocked.listAnomalies.mockResolvedValue([anomaly({ id: 5 })])
    await s.load({})
    mocked.getAnomaly.mockResolvedValue(driftDetail())
    await s.open(5)
    mocked.listAnomalies.mockResolvedValue([])
    mocked.getAnomaly.mockResolvedValue(driftDetail({ status: 'resolved', resolvedAt: '2026-12-03T10:00:00Z' }))
    handler(0)
    await vi.waitFor(() => expect(seen).toHaveBeenCalled())
    expect(s.openCount).toBe(0)
    expect(s.items).toEqual([])
    expect(s.detail?.anomaly.status).toBe('resolved')
  })
})
