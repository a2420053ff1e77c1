import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/HistoryService', () => ({
  Get: vi.fn(),
  List: vi.fn(),
  Reconcile: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }))

import * as HistoryService from '../../wailsjs/go/app/HistoryService'
import * as api from './history'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('history facade', () => {
  it('turns Go nil lists into arrays', async () => {
    m(HistoryService.List).mockResolvedValue(null)
    m(HistoryService.Reconcile).mockResolvedValue(null)
    expect(await api.listChanges('db1')).toEqual([])
    expect(await api.reconcileChanges('db1')).toEqual([])
    expect(HistoryService.List).toHaveBeenCalledWith('db1')
    expect(HistoryService.Reconcile).toHaveBeenCalledWith('db1')
    m(HistoryService.Get).mockResolvedValue({ change: {}, statement: '', objects: null })
    expect((await api.getChange('db1', 'c1')).objects).toEqual([])
  })

  it('keeps the SQLSTATE of a failure', async () => {
    m(HistoryService.Reconcile).mockRejectedValue(JSON.stringify({ message: 'connection refused', sqlstate: '08006' }))
    const err = await api.reconcileChanges('db1').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.sqlstate).toBe('08006')
  })
})
