import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api/risk', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/risk')>()),
  checkCondition: vi.fn(),
  riskRules: vi.fn(),
  riskRuleTemplates: vi.fn(),
  rolloutPolicy: vi.fn(),
  setRolloutPolicy: vi.fn(),
}))
vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  listEnvironments: vi.fn(),
}))

import * as risk from '../../api/risk'
import FlowPanel from './FlowPanel.vue'
import RuleEditor from './RuleEditor.vue'
import RiskRules from './RiskRules.vue'
import RolloutPolicies from './RolloutPolicies.vue'
import * as api from '../../api'
import { useEnvironmentsStore } from '../../stores/environments'
import { env } from '../../stores/testdata'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(risk)
const q = (testid: string) => document.body.querySelector(`[data-testid="${testid}"]`)
const text = (testid: string) => (q(testid)?.textContent ?? '').replace(/\s+/g, ' ')

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('risk components', () => {
  it('shows the flow: risk, matched rules, each step with its role and who can approve', () => {
    const flow = risk.normaliseFlow({
      status: 'pending',
      risk: 'high',
      templateTitle: 'Project Owner → DBA',
      matched: [{ ruleId: 'r', title: 'Drop table', level: 'high', condition: 'sql_type == "DROP_TABLE"', line: 2 }],
      errors: [{ ruleId: 'x', title: 'Divides', message: 'division by zero' }],
      steps: [
        { title: 'Project Owner', role: 'project_owner', status: 'approved', by: { name: 'Bob' }, byRole: 'project_owner' },
        { title: 'DBA', role: 'dba', status: 'pending', approvers: ['dee@example.com', 'ops'], approverNames: ['Dee', 'ops'] },
      ],
    })
    mountWithProviders(FlowPanel, { flow })
    expect(q('flow-risk')?.textContent).toBe('high')
    expect(q('flow-template')?.textContent).toBe('Project Owner → DBA')
    expect(q('flow-matched')?.textContent).toContain('Drop table (line 2)')
    expect(q('flow-rule-error')?.textContent).toContain('division by zero')
    expect(text('flow-step-1')).toContain('approved by Bob as Project Owner')
    expect(text('flow-step-2')).toContain('can approve: Dee <dee@example.com>, ops')
  })

  it('type-checks the condition as it is typed and shows the problem under its line', async () => {
    mocked.checkCondition.mockResolvedValue({ ok: false, line: 1, column: 1, message: "undeclared reference to 'tabel_rows'" })
    mountWithProviders(RuleEditor, {
      rule: { id: '', title: 'Big', source: 'schema_change', level: 'high', condition: 'tabel_rows > 1', enabled: true },
      saving: false,
    })
    await flushPromises()
    expect(mocked.checkCondition).toHaveBeenCalledWith('tabel_rows > 1')
    expect(q('risk-rule-condition-error')?.textContent).toContain("line 1, column 1: undeclared reference to 'tabel_rows'")
    expect((q('risk-rule-save') as HTMLButtonElement).disabled).toBe(true)
  })

  it('lists the rules, with an empty state when there are none', async () => {
    mocked.riskRules.mockResolvedValue([])
    mocked.riskRuleTemplates.mockResolvedValue([])
    mountWithProviders(RiskRules)
    await flushPromises()
    expect(q('risk-rules-empty')).not.toBeNull()
  })

  it('edits an environment\'s rollout policy: roles, and no window unless switched on', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const prod = { ...env('prod', 'Prod', 1), protected: true }
    useEnvironmentsStore().items = [prod]
    vi.mocked(api.listEnvironments).mockResolvedValue([prod])
    mocked.rolloutPolicy.mockResolvedValue({ environmentId: 'prod', mode: 'manual', roles: ['releaser'] })
    mocked.setRolloutPolicy.mockImplementation(async (p) => p)
    mountWithProviders(RolloutPolicies, {}, pinia)
    await flushPromises()
    expect(mocked.rolloutPolicy).toHaveBeenCalledWith('prod')
    expect(q('rollout-policy-prod')?.textContent).toContain('Releaser')
    ;(q('rollout-policy-save-prod') as HTMLButtonElement).click()
    await flushPromises()
    expect(mocked.setRolloutPolicy).toHaveBeenCalledWith({ environmentId: 'prod', mode: 'manual', roles: ['releaser'], window: undefined })
  })
})
