import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/MonitorService', () => ({
  SyncInterval: vi.fn(),
  SetSyncInterval: vi.fn(),
  SyncNow: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }))

import * as MonitorService from '../../wailsjs/go/app/MonitorService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as api from './drift'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('monitor facade', () => {
  it('fills omitted errors and a Go nil list', async () => {
    m(MonitorService.SyncNow).mockResolvedValue({ instanceId: 'i1', databases: null })
    expect(await api.syncNow('i1')).toEqual({ instanceId: 'i1', error: '', sqlstate: '', databases: [] })
    m(MonitorService.SyncNow).mockResolvedValue({
      instanceId: 'i1',
      databases: [{ databaseId: 'd1', name: 'hr', stored: false, error: 'database "hr" is not currently accepting connections', sqlstate: '55000' }],
    })
    const r = await api.syncNow('i1')
    expect(MonitorService.SyncNow).toHaveBeenCalledWith('i1')
    expect(r.databases[0]).toEqual({ databaseId: 'd1', name: 'hr', stored: false, error: 'database "hr" is not currently accepting connections', sqlstate: '55000' })
  })

  it('sends the interval and keeps a refusal as ApiError', async () => {
    m(MonitorService.SetSyncInterval).mockRejectedValue(JSON.stringify({ message: 'a sync interval is off (0) or 1, 5, 10, 30 or 60 minutes, not 7', field: 'interval' }))
    const err = await api.setSyncInterval('i1', 5).catch((e) => e)
    expect(MonitorService.SetSyncInterval).toHaveBeenCalledWith('i1', 5)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toContain('not 7')
    m(MonitorService.SyncInterval).mockResolvedValue(10)
    expect(await api.syncInterval('i1')).toBe(10)
  })

  it('passes on well-formed sync events only', () => {
    const seen: api.SyncEvent[] = []
    api.onSync((e) => seen.push(e))
    const call0 = m(EventsOn).mock.calls[0] ?? []
    const listener = call0[1] as (p: unknown) => void
    expect(call0[0]).toBe('monitor:sync')
    listener(null)
    listener({ databaseId: 'd1' })
    listener({ instanceId: 'i1', databaseId: 'd1', stored: true, at: '2026-12-03T22:00:00Z' })
    expect(seen).toEqual([{ instanceId: 'i1', databaseId: 'd1', stored: true, error: '', sqlstate: '', at: '2026-12-03T22:00:00Z' }])
  })
})
