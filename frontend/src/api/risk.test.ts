import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/RiskService', () => ({
  Variables: vi.fn(),
  CheckCondition: vi.fn(),
  Rules: vi.fn(),
  Templates: vi.fn(),
  SaveRule: vi.fn(),
  DeleteRule: vi.fn(),
  TrySQL: vi.fn(),
  TryIssue: vi.fn(),
  Approvals: vi.fn(),
  SaveApprovals: vi.fn(),
  Members: vi.fn(),
  Me: vi.fn(),
  AddMember: vi.fn(),
  RemoveMember: vi.fn(),
  Grant: vi.fn(),
  Revoke: vi.fn(),
  RolloutPolicy: vi.fn(),
  SetRolloutPolicy: vi.fn(),
  EnvironmentRules: vi.fn(),
}))

import * as RiskService from '../../wailsjs/go/app/RiskService'
import * as api from './risk'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('risk facade', () => {
  it('fills a trial with Go nil slices and omitted fields', async () => {
    m(RiskService.TrySQL).mockResolvedValue({ approval: { status: 'skipped', reason: 'low risk', steps: null, risk: 'low' }, tasks: null })
    const r = await api.trySQL('schema_change', 'test', 'SELECT 1')
    expect(RiskService.TrySQL).toHaveBeenCalledWith('schema_change', 'test', 'SELECT 1')
    expect(r.approval).toEqual({ status: 'skipped', reason: 'low risk', risk: 'low', rule: '', template: '', templateTitle: '', matched: [], errors: [], steps: [] })
    expect(r.tasks).toEqual([])
  })

  it('maps an issue trial with its steps and matched rules', async () => {
    m(RiskService.TryIssue).mockResolvedValue({
      approval: {
        status: 'pending',
        reason: 'high risk',
        risk: 'high',
        templateTitle: 'Project Owner → DBA',
        matched: [{ ruleId: 'r', title: 'Drop table', level: 'high', condition: 'sql_type == "DROP_TABLE"', line: 2 }],
        steps: [{ title: 'Project Owner', role: 'project_owner', approvers: null, status: 'pending' }],
      },
      tasks: [{ taskId: 't1', database: 'demo', risk: { level: 'high', matched: null, errors: null } }],
    })
    const r = await api.tryIssue(3)
    expect(r.approval.matched[0]).toEqual({ ruleId: 'r', title: 'Drop table', level: 'high', condition: 'sql_type == "DROP_TABLE"', line: 2, table: '' })
    expect(r.approval.steps[0]).toMatchObject({ role: 'project_owner', approvers: [], byRole: '' })
    expect(r.tasks[0]).toEqual({ taskId: 't1', database: 'demo', level: 'high', matched: [], errors: [] })
  })

  it('passes a compile refusal as ApiError and a type check as a position', async () => {
    m(RiskService.SaveRule).mockRejectedValue(JSON.stringify({ message: 'risk rule "Bad": line 1, column 1: undeclared reference to \'nope\'' }))
    const err = await api.saveRiskRule({ id: '', title: 'Bad', source: 'schema_change', level: 'high', condition: 'nope', enabled: true }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toContain('line 1, column 1')
    m(RiskService.CheckCondition).mockResolvedValue({ ok: false, line: 2, column: 3, message: "expected type 'bool' but found 'string'" })
    expect(await api.checkCondition('true &&\n  sql_type')).toEqual({ ok: false, line: 2, column: 3, message: "expected type 'bool' but found 'string'" })
  })

  it('fills lists and members', async () => {
    m(RiskService.Rules).mockResolvedValue(null)
    expect(await api.riskRules()).toEqual([])
    m(RiskService.SaveRule).mockResolvedValue({ rule: { id: 'x' }, reevaluated: null })
    expect((await api.saveRiskRule({ id: 'x', title: 'X', source: 'schema_change', level: 'low', condition: 'true', enabled: true })).reevaluated).toEqual([])
    m(RiskService.Members).mockResolvedValue([{ id: 'ann@example.com', name: 'Ann', roles: null, sole: true }])
    expect(await api.members()).toEqual([{ id: 'ann@example.com', name: 'Ann', email: '', roles: [], sole: true }])
    m(RiskService.Approvals).mockResolvedValue({ templates: [{ id: 'dba', title: 'DBA', steps: null }], rules: [{ id: 'low' }] })
    expect(await api.approvalConfig()).toEqual({ templates: [{ id: 'dba', title: 'DBA', description: '', steps: [] }], rules: [{ id: 'low', template: '' }] })
    expect(api.roleTitle('project_owner')).toBe('Project Owner')
  })

  it('maps the rules that mention an environment, filling nil slices and a skipped template', async () => {
    m(RiskService.EnvironmentRules).mockResolvedValue({
      environmentId: 'prod',
      production: true,
      risk: [{ rule: { id: 'r', title: 'DDL or DML in production', source: 'schema_change', level: 'moderate', condition: 'production', enabled: true }, how: ['production'] }],
      approval: [
        { rule: { id: 'a', condition: 'environment_id == "prod"', template: 'dba' }, templateTitle: 'DBA', how: ['environment_id == "prod"'] },
        { rule: { id: 'b', condition: 'environment_id in ["prod"]' }, templateTitle: '', how: null },
      ],
    })
    const r = await api.environmentRules('prod')
    expect(RiskService.EnvironmentRules).toHaveBeenCalledWith('prod')
    expect(r.production).toBe(true)
    expect(r.risk[0]!.how).toEqual(['production'])
    expect(r.approval[0]).toEqual({ rule: { id: 'a', condition: 'environment_id == "prod"', template: 'dba' }, templateTitle: 'DBA', how: ['environment_id == "prod"'] })
    expect(r.approval[1]).toEqual({ rule: { id: 'b', condition: 'environment_id in ["prod"]', template: '' }, templateTitle: '', how: [] })
    m(RiskService.EnvironmentRules).mockResolvedValue({ environmentId: 'test', production: false, risk: null, approval: null })
    expect(await api.environmentRules('test')).toEqual({ environmentId: 'test', production: false, risk: [], approval: [] })
  })
})
