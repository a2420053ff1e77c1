import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/HistoryService', () => ({
  Apply: vi.fn(),
  Check: vi.fn(),
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
    m(HistoryService.Check).mockResolvedValue({ databaseName: 'd', environmentName: 'Test', production: false, destructive: null, needsConfirm: false })
    expect(await api.listChanges('db1')).toEqual([])
    expect(await api.reconcileChanges('db1')).toEqual([])
    expect(HistoryService.List).toHaveBeenCalledWith('db1')
    expect(HistoryService.Reconcile).toHaveBeenCalledWith('db1')
    const req = { databaseId: 'db1', version: '1', type: 'ddl' as const, description: '', statement: 'DROP TABLE t', confirm: false }
    expect((await api.checkChange(req)).destructive).toEqual([])
  })

  it('sends the whole request and keeps the SQLSTATE of a failure', async () => {
    m(HistoryService.Apply).mockRejectedValue(
      JSON.stringify({ message: 'relation "missing" does not exist', sqlstate: '42P01', detail: 'Statement 2 of 2, line 3: ALTER TABLE missing', field: 'statement' }),
    )
    const req = { databaseId: 'db1', version: '20260301120000', type: 'ddl' as const, description: 'x', statement: 'ALTER TABLE missing ADD x int', confirm: true }
    const err = await api.applyChange(req).catch((e) => e)
    expect(HistoryService.Apply).toHaveBeenCalledWith(expect.objectContaining(req))
    expect(err).toBeInstanceOf(ApiError)
    expect(err.sqlstate).toBe('42P01')
    expect(err.detail).toContain('line 3')
    expect(err.field).toBe('statement')
  })

  it('suggests a UTC timestamp version', () => {
    expect(api.suggestVersion(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('20260102030405')
    expect(api.suggestVersion()).toMatch(/^\d{14}$/)
  })
})
