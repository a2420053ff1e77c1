import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/IssueService', () => ({
  List: vi.fn(), Home: vi.fn(), Get: vi.fn(), CreateSchemaChange: vi.fn(), CreateDatabase: vi.fn(), Approve: vi.fn(), Reject: vi.fn(),
  Comment: vi.fn(), UpdatePlan: vi.fn(), Rollout: vi.fn(), ForceRollout: vi.fn(), Retry: vi.fn(), Skip: vi.fn(), Cancel: vi.fn(),
  PlanRollback: vi.fn(), Rollback: vi.fn(), ProjectChanges: vi.fn(), User: vi.fn(), SetUser: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => undefined), ClipboardSetText: vi.fn() }))

import * as IssueService from '../../wailsjs/go/app/IssueService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as api from './issues'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>
beforeEach(() => vi.clearAllMocks())

describe('issues facade', () => {
  it('turns Go nil lists into arrays', async () => {
    m(IssueService.List).mockResolvedValue({ items: null, total: 0 })
    expect(await api.listIssues({ status: 'open' })).toEqual({ items: [], total: 0 })
    expect(IssueService.List).toHaveBeenCalledWith(expect.objectContaining({ status: 'open' }))
    m(IssueService.Home).mockResolvedValue({ waitingApproval: null, waitingRollout: [{ number: 2, environments: null }], mine: null, recentlyDone: null })
    const h = await api.homeIssues()
    expect(h.waitingApproval).toEqual([])
    expect(h.waitingRollout[0]!.environments).toEqual([])
    m(IssueService.Get).mockResolvedValue({
      number: 1, version: 3, approval: { status: 'pending', steps: null }, activity: null, labels: null,
      checks: [{ kind: 'dry_run', results: null, objects: null, rows: null }],
      stages: [{ environment: 'prod', tasks: [{ id: 't1', gates: null, runs: [{ log: null, statements: null }] }] }],
    })
    const r = await api.getIssue(1)
    expect(r.approval.steps).toEqual([])
    expect(r.checks[0]!.objects).toEqual([])
    expect(r.stages[0]!.tasks[0]!.runs[0]!.log).toEqual([])
  })

  it('sends the version read and keeps a refusal as an ApiError', async () => {
    m(IssueService.Approve).mockRejectedValue(JSON.stringify({ message: 'issue #1 changed since you read it: reload it and try again' }))
    const err = await api.approveIssue(1, 2, 'ok').catch((e) => e)
    expect(IssueService.Approve).toHaveBeenCalledWith(1, 2, 'ok')
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toContain('changed since')
    m(IssueService.Rollout).mockResolvedValue(undefined)
    await api.rolloutIssue(1, 4, '', 't1')
    expect(IssueService.Rollout).toHaveBeenCalledWith(1, 4, '', 't1')
  })

  it('creates issues with the whole request', async () => {
    m(IssueService.CreateSchemaChange).mockResolvedValue(7)
    expect(await api.createSchemaChange({ projectId: 'p', databaseIds: ['d'], sql: 'CREATE TABLE t1 (id int);', title: 'Alter schema of demo' })).toBe(7)
    expect(IssueService.CreateSchemaChange).toHaveBeenCalledWith(expect.objectContaining({ projectId: 'p', databaseIds: ['d'], title: 'Alter schema of demo' }))
    m(IssueService.CreateDatabase).mockResolvedValue(8)
    expect(await api.createDatabaseIssue({ projectId: 'p', instanceId: 'i', name: 'demo', owner: 'postgres', environmentId: 'prod' })).toBe(8)
  })

  it('filters malformed issue events', () => {
    const seen: api.IssueEvent[] = []
    api.onIssue((e) => seen.push(e))
    const handler = m(EventsOn).mock.calls[0]![1] as (p: unknown) => void
    handler(null)
    handler({ kind: 'changed' })
    handler({ issue: 3, kind: 'log', taskId: 't1', message: 'statement 1' })
    expect(seen).toEqual([{ issue: 3, kind: 'log', taskId: 't1', message: 'statement 1' }])
  })
})
