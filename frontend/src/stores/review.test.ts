import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  reviewRules: vi.fn(),
  reviewPolicy: vi.fn(),
  saveReviewPolicy: vi.fn(),
  resetReviewPolicy: vi.fn(),
  importReviewPolicy: vi.fn(),
  importReviewPolicyYAML: vi.fn(),
  exportReviewPolicy: vi.fn(),
  reviewSQL: vi.fn(),
  fixSQL: vi.fn(),
  reviewTemplates: vi.fn(),
}))

import * as api from '../api'
import type { ReviewPolicy, ReviewResult, RuleInfo } from '../api'
import { REVIEW_DEBOUNCE_MS, useReviewStore } from './review'

const mocked = vi.mocked(api)

function ruleInfo(id: string, extra: Partial<RuleInfo> = {}): RuleInfo {
  return {
    id,
    family: id.split('.')[0]!,
    title: `Title of ${id}`,
    rationale: `Why ${id}`,
    level: 'error',
    basicLevel: 'error',
    payloadType: 'none',
    defaultPayload: { format: '', maxLength: 0, number: 0, list: [], required: false },
    placeholders: [],
    example: '',
    needsDatabase: false,
    templates: {},
    why: '',
    safeForm: '',
    ...extra,
  }
}

function policy(envId: string, levels: Record<string, 'error' | 'warning' | 'off'>): ReviewPolicy {
  return {
    environmentId: envId,
    name: 'advanced',
    template: 'advanced',
    customized: false,
    updatedAt: '',
    rules: Object.entries(levels).map(([id, level]) => ({ id, level, payload: null })),
  }
}

function result(rules: string[]): ReviewResult {
  return {
    advice: rules.map((rule, i) => ({ rule, level: 'error', title: rule, message: 'm', line: i + 1, column: 1, endLine: i + 1, endColumn: 5, statementLine: i + 1, rewrite: null })),
    syntaxError: null,
    errors: rules.length,
    warnings: 0,
    infos: 0,
    statements: rules.length,
    catalog: '',
    policyName: 'advanced',
  }
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

describe('review store', () => {
  it('reviews once typing pauses, with the chosen environment and database', async () => {
    vi.useFakeTimers()
    const s = useReviewStore()
    s.environmentId = 'prod'
    s.databaseId = 'db1'
    mocked.reviewSQL.mockResolvedValue(result(['table.require-pk']))
    s.setSQL('CREATE')
    s.setSQL('CREATE TABLE t(a int);')
    await vi.advanceTimersByTimeAsync(REVIEW_DEBOUNCE_MS - 50)
    expect(mocked.reviewSQL).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(100)
    expect(mocked.reviewSQL).toHaveBeenCalledTimes(1)
    expect(mocked.reviewSQL).toHaveBeenCalledWith({ sql: 'CREATE TABLE t(a int);', environmentId: 'prod', databaseId: 'db1' })
    expect(s.result?.advice.map((a) => a.rule)).toEqual(['table.require-pk'])
    expect(s.reviewing).toBe(false)
  })

  it('keeps only the answer to the latest review', async () => {
    const s = useReviewStore()
    s.environmentId = 'prod'
    let resolveFirst: (r: ReviewResult) => void = () => {}
    mocked.reviewSQL.mockReturnValueOnce(new Promise((r) => (resolveFirst = r))).mockResolvedValueOnce(result([]))
    const first = s.run()
    await s.run()
    resolveFirst(result(['stale.rule']))
    await first
    expect(s.result?.advice).toEqual([])
  })

  it('shows a failed review as an error and clears it on the next success', async () => {
    const s = useReviewStore()
    s.environmentId = 'prod'
    s.databaseId = 'db1'
    mocked.reviewSQL.mockRejectedValueOnce(new api.ApiError({ message: 'password authentication failed', sqlstate: '28P01' }))
    await s.run()
    expect(s.error?.sqlstate).toBe('28P01')
    mocked.reviewSQL.mockResolvedValueOnce(result([]))
    await s.run()
    expect(s.error).toBeNull()
  })

  it('does not review without an environment or database', async () => {
    const s = useReviewStore()
    await s.run()
    expect(mocked.reviewSQL).not.toHaveBeenCalled()
    expect(s.result).toBeNull()
  })

  it('turns a rule off, saves the whole policy and reviews again', async () => {
    const s = useReviewStore()
    s.rules = [ruleInfo('table.require-pk'), ruleInfo('column.comment', { level: 'warning' })]
    s.environmentId = 'prod'
    s.policies = { prod: policy('prod', { 'table.require-pk': 'error', 'column.comment': 'warning' }) }
    const saved = { ...policy('prod', { 'table.require-pk': 'off', 'column.comment': 'warning' }), customized: true }
    mocked.saveReviewPolicy.mockResolvedValue(saved)
    mocked.reviewSQL.mockResolvedValue(result([]))
    await s.toggleRule('prod', 'table.require-pk', false)
    const sent = mocked.saveReviewPolicy.mock.calls[0]!
    expect(sent[0]).toBe('prod')
    expect(sent[1].rules).toEqual([
      { id: 'table.require-pk', level: 'off', payload: null },
      { id: 'column.comment', level: 'warning', payload: null },
    ])
    expect(s.policy?.customized).toBe(true)
    expect(mocked.reviewSQL).toHaveBeenCalled()

    // Back on: the rule's default level.
    mocked.saveReviewPolicy.mockImplementation(async (_e, p) => p)
    await s.toggleRule('prod', 'column.comment', false)
    await s.toggleRule('prod', 'column.comment', true)
    expect(s.policy?.rules.find((r) => r.id === 'column.comment')?.level).toBe('warning')
  })

  it('puts the old policy back when the engine refuses a change', async () => {
    const s = useReviewStore()
    const before = { ...policy('prod', { 'naming.table': 'error' }), rules: [{ id: 'naming.table', level: 'error' as const, payload: { format: '^[a-z]+$', maxLength: 63, number: 0, list: [], required: false } }] }
    s.policies = { prod: before }
    mocked.saveReviewPolicy.mockRejectedValue(new api.ApiError({ message: 'invalid policy: rule naming.table: format is not a valid regular expression', field: 'naming.table' }))
    await expect(s.updateRule('prod', 'naming.table', { payload: { ...before.rules[0]!.payload!, format: '(' } })).rejects.toThrow('naming.table')
    expect(s.policies.prod).toEqual(before)
  })

  it('loads a policy on demand and replaces it on reset and import', async () => {
    const s = useReviewStore()
    s.environmentId = 'test'
    mocked.reviewPolicy.mockResolvedValue(policy('test', { a: 'off' }))
    mocked.reviewSQL.mockResolvedValue(result([]))
    await s.loadPolicy('test')
    expect(s.policy?.rules).toHaveLength(1)
    mocked.resetReviewPolicy.mockResolvedValue({ ...policy('test', { a: 'error' }), template: 'advanced', customized: true })
    await s.resetPolicy('test', 'advanced')
    expect(mocked.resetReviewPolicy).toHaveBeenCalledWith('test', 'advanced')
    expect(s.policy?.template).toBe('advanced')
    mocked.importReviewPolicyYAML.mockResolvedValue(policy('test', { a: 'warning' }))
    await s.importPolicyYAML('test', 'name: x')
    expect(s.policy?.rules[0]!.level).toBe('warning')
  })

  it('loads the rules once', async () => {
    const s = useReviewStore()
    mocked.reviewRules.mockResolvedValue([ruleInfo('a.b')])
    await s.loadRules()
    await s.loadRules()
    expect(mocked.reviewRules).toHaveBeenCalledTimes(1)
    expect(s.ruleById.get('a.b')?.title).toBe('Title of a.b')
  })

  it('applies a fix: the SQL becomes the fixed SQL and is reviewed again; a syntax error leaves it', async () => {
    const s = useReviewStore()
    s.environmentId = 'prod'
    s.sql = 'CREATE INDEX i ON t (a);'
    const withRewrite = result(['index.create-concurrently'])
    withRewrite.advice[0]!.rewrite = { steps: [{ sql: 'CREATE INDEX CONCURRENTLY i ON t USING btree (a)', nonTransactional: true, newUnit: false }], plan: '' }
    s.result = withRewrite
    expect(s.fixable).toBe(1)
    const fixed = { sql: 'CREATE INDEX CONCURRENTLY i ON t USING btree (a);\n', units: 1, applied: 1, kept: [], errors: 0, warnings: 0, infos: 0, syntaxError: null }
    mocked.fixSQL.mockResolvedValue(fixed)
    mocked.reviewSQL.mockResolvedValue(result([]))
    await expect(s.applyFix(1)).resolves.toEqual(fixed)
    expect(mocked.fixSQL).toHaveBeenCalledWith({ sql: 'CREATE INDEX i ON t (a);', environmentId: 'prod', databaseId: '' }, 1)
    expect(s.sql).toBe(fixed.sql)
    expect(mocked.reviewSQL).toHaveBeenLastCalledWith({ sql: fixed.sql, environmentId: 'prod', databaseId: '' })
    expect(s.fixable).toBe(0)
    expect(s.lastFix).toEqual(fixed)
    s.setSQL('SELECT 1')
    expect(s.lastFix).toBeNull()
    mocked.fixSQL.mockResolvedValue({ ...fixed, sql: 'SELECT (', applied: 0, syntaxError: { message: 'syntax error', line: 1, column: 8 } })
    await s.applyFix(0)
    expect(s.sql).toBe('SELECT 1')
    expect(s.fixing).toBe(false)
  })

  it('loads the templates once', async () => {
    const s = useReviewStore()
    mocked.reviewTemplates.mockResolvedValue([{ name: 'default', title: 'Default (safety)', purpose: 'Flags what can hurt' }])
    await s.loadTemplates()
    await s.loadTemplates()
    expect(mocked.reviewTemplates).toHaveBeenCalledTimes(1)
    expect(s.templateByName.get('default')?.title).toBe('Default (safety)')
  })
})
