import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/AnomalyService', () => ({
  List: vi.fn(),
  Get: vi.fn(),
  OpenCount: vi.fn(),
  EstablishBaseline: vi.fn(),
  RevertDrift: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }))

import * as AnomalyService from '../../wailsjs/go/app/AnomalyService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as api from './anomaly'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('anomaly facade', () => {
  it('sends the filter and fills a Go nil list and omitted fields', async () => {
    m(AnomalyService.List).mockResolvedValue(null)
    expect(await api.listAnomalies({ kind: 'schema_drift' })).toEqual([])
    expect(m(AnomalyService.List).mock.calls[0]![0]).toMatchObject({ kind: 'schema_drift', environmentId: '', projectId: '', databaseId: '', all: false })
    m(AnomalyService.List).mockResolvedValue([{ id: 3, kind: 'instance_connection', summary: 'Cannot connect' }])
    const [a] = await api.listAnomalies()
    expect(a).toMatchObject({ id: 3, kind: 'instance_connection', databaseId: '', status: 'open', resolvedAt: '' })
  })

  it('normalises a drift detail with nil lists', async () => {
    m(AnomalyService.Get).mockResolvedValue({
      anomaly: { id: 1, kind: 'schema_drift', summary: 'Schema drift: 1 object changed since version 1' },
      drift: { expectedSource: 'change', expectedVersion: '1', objects: [{ kind: 'table', qualifiedName: 'public.t1', action: 'altered', changes: null }], notCompared: null },
    })
    const d = await api.getAnomaly(1)
    expect(AnomalyService.Get).toHaveBeenCalledWith(1)
    expect(d.drift.objects[0]!.changes).toEqual([])
    expect(d.drift.notCompared).toEqual([])
    expect(d.drift.revert).toBe('')
    expect(d.error).toBe('')
  })

  it('keeps a refusal as ApiError and creates the issues', async () => {
    m(AnomalyService.RevertDrift).mockRejectedValue(JSON.stringify({ message: 'anomaly 2 has resolved: there is no drift to revert', field: 'anomaly' }))
    const err = await api.revertDrift(2).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.field).toBe('anomaly')
    m(AnomalyService.EstablishBaseline).mockResolvedValue(7)
    expect(await api.establishBaseline('db1')).toBe(7)
    expect(AnomalyService.EstablishBaseline).toHaveBeenCalledWith('db1')
  })

  it('reads the open count from anomaly:changed', () => {
    const seen: number[] = []
    api.onAnomalyChanged((n) => seen.push(n))
    const [name, handler] = m(EventsOn).mock.calls[0]!
    expect(name).toBe('anomaly:changed')
    handler({ openCount: 2 })
    handler(null)
    expect(seen).toEqual([2, -1])
  })

  it('labels every kind', () => {
    expect(api.anomalyKinds.map((k) => k.value)).toEqual(['schema_drift', 'instance_connection', 'database_sync', 'modified_migration', 'history_table', 'nontx_started', 'gitops_modified', 'gitops_writeback'])
    expect(api.kindLabel('schema_drift')).toBe('Schema drift')
    expect(api.kindLabel('other')).toBe('other')
  })
})
