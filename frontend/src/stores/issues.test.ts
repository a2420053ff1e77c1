import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

let emit: ((e: unknown) => void) | null = null
vi.mock('../api', () => ({
  listIssues: vi.fn(async () => ({ items: [{ number: 1, title: 'x', environments: [] }], total: 1 })),
  homeIssues: vi.fn(async () => ({ waitingApproval: [], waitingRollout: [], mine: [], recentlyDone: [] })),
  getIssue: vi.fn(async (n: number) => ({ number: n, version: 5, stages: [], checks: [], activity: [], approval: { status: 'pending', steps: [] } })),
  approveIssue: vi.fn(async () => undefined),
  onIssue: vi.fn((h: (e: unknown) => void) => {
    emit = h
    return () => (emit = null)
  }),
}))

import * as api from '../api'
import { useIssuesStore } from './issues'

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('issues store', () => {
  it('loads a filtered list', async () => {
    const s = useIssuesStore()
    await s.load({ status: 'open' })
    expect(api.listIssues).toHaveBeenCalledWith({ status: 'open' })
    expect(s.total).toBe(1)
    expect(s.loaded).toBe(true)
  })

  it('acts with the version read and reloads', async () => {
    const s = useIssuesStore()
    await s.open(4)
    await s.act((n, v) => api.approveIssue(n, v, 'ok'))
    expect(api.approveIssue).toHaveBeenCalledWith(4, 5, 'ok')
    expect(api.getIssue).toHaveBeenCalledTimes(2)
  })

  it('follows issue events: logs per task, reloads on changes, keeps background errors', async () => {
    const s = useIssuesStore()
    await s.open(4)
    const changed: number[] = []
    s.listen((n) => changed.push(n))
    emit!({ issue: 4, kind: 'log', taskId: 't1', message: 'statement 1 of 1' })
    expect(s.live.t1).toEqual(['statement 1 of 1'])
    emit!({ issue: 4, kind: 'error', taskId: '', message: 'boom' })
    expect(s.backgroundError).toBe('boom')
    emit!({ issue: 9, kind: 'changed', taskId: '', message: '' })
    expect(changed).toEqual([4, 9])
    s.stop()
    expect(emit).toBeNull()
  })
})
