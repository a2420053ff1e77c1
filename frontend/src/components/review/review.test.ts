import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { Text } from '@codemirror/state'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  reviewRules: vi.fn(),
  reviewPolicy: vi.fn(),
  saveReviewPolicy: vi.fn(),
  resetReviewPolicy: vi.fn(),
  importReviewPolicy: vi.fn(),
  exportReviewPolicy: vi.fn(),
  reviewSQL: vi.fn(),
  fixSQL: vi.fn(),
  reviewTemplates: vi.fn(),
  listEnvironments: vi.fn(),
}))

import * as api from '../../api'
import type { Advice, ReviewPolicy, ReviewResult, RuleInfo } from '../../api'
import { offsetOf, toDiagnostics } from './diagnostics'
import AdviceList from './AdviceList.vue'
import PolicyEditor from './PolicyEditor.vue'
import PayloadEditor from './PayloadEditor.vue'
import ReviewView from '../../views/ReviewView.vue'
import { useReviewStore } from '../../stores/review'
import { useEnvironmentsStore } from '../../stores/environments'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel))

const payload0 = { format: '', maxLength: 0, number: 0, list: [], required: false }

function ruleInfo(id: string, extra: Partial<RuleInfo> = {}): RuleInfo {
  return {
    id,
    family: id.split('.')[0]!,
    title: `Title of ${id}`,
    rationale: `Why ${id}`,
    level: 'error',
    basicLevel: 'error',
    payloadType: 'none',
    defaultPayload: payload0,
    placeholders: [],
    example: '',
    needsDatabase: false,
    templates: {},
    why: '',
    safeForm: '',
    ...extra,
  }
}

function advice(rule: string, line: number, extra: Partial<Advice> = {}): Advice {
  return { rule, level: 'error', title: `T ${rule}`, message: `M ${rule}`, line, column: 1, endLine: line, endColumn: 10, statementLine: line, rewrite: null, ...extra }
}

function result(list: Advice[], extra: Partial<ReviewResult> = {}): ReviewResult {
  return { advice: list, syntaxError: null, errors: list.length, warnings: 0, infos: 0, statements: 1, catalog: '', policyName: 'advanced', ...extra }
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  setActivePinia(createPinia())
})

describe('diagnostics', () => {
  const doc = Text.of(['CREATE TABLE t(a int);', 'UPDATE t SET a = 1;', ''])

  it('spans each advice from its position to the end of its statement', () => {
    const d = toDiagnostics(doc, result([advice('w', 2, { level: 'warning', column: 1, endLine: 2, endColumn: 19 }), advice('pk', 1, { column: 1, endLine: 1, endColumn: 22 })]))
    expect(d.map((x) => [x.source, x.from, x.to, x.severity])).toEqual([
      ['pk', 0, 21, 'error'],
      ['w', 23, 41, 'warning'],
    ])
    expect(d[0]!.message).toContain('T pk: M pk [pk]')
  })

  it('clamps positions from a stale review to the document and reports syntax errors', () => {
    expect(offsetOf(doc, 99, 99)).toBe(doc.length)
    expect(offsetOf(doc, 1, 500)).toBe(22)
    const d = toDiagnostics(doc, result([advice('x', 1, { column: 5, endLine: 1, endColumn: 5 })], { syntaxError: { message: 'syntax error at or near "TABL"', line: 2, column: 8 } }))
    expect(d.map((x) => [x.source, x.from, x.to])).toEqual([
      ['x', 4, 22],
      ['syntax', 30, 42],
    ])
    expect(toDiagnostics(doc, null)).toEqual([])
  })
})

describe('advice list', () => {
  it('lists advice and jumps to the clicked one', async () => {
    const w = mount(AdviceList, { props: { result: result([advice('table.require-pk', 1), advice('statement.where.require.update-delete', 3)]), error: null, hasSql: true } })
    const items = w.findAll('[data-testid="advice-item"]')
    expect(items.map((i) => i.attributes('data-rule'))).toEqual(['table.require-pk', 'statement.where.require.update-delete'])
    await items[1]!.trigger('click')
    expect(w.emitted('select')).toEqual([[3, 1]])
    expect(w.find('[data-testid="review-no-problems"]').exists()).toBe(false)
  })

  it('puts errors before warnings, by position within each', () => {
    const w = mount(AdviceList, {
      props: { result: result([advice('w.one', 1, { level: 'warning' }), advice('e.two', 2), advice('w.three', 3, { level: 'warning' }), advice('e.one', 1, { column: 5 })]), error: null, hasSql: true },
    })
    expect(w.findAll('[data-testid="advice-item"]').map((i) => i.attributes('data-rule'))).toEqual(['e.one', 'e.two', 'w.one', 'w.three'])
  })

  it('shows the safe form with Apply fix (which does not jump), the plan of a type change, and info notes last', async () => {
    const rw = { steps: [{ sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID', nonTransactional: false, newUnit: false }, { sql: 'ALTER TABLE t VALIDATE CONSTRAINT c', nonTransactional: false, newUnit: true }], plan: '' }
    const w = mount(AdviceList, {
      props: {
        result: result([
          advice('review.note', 1, { level: 'info' }),
          advice('statement.add-check-not-valid', 3, { level: 'warning', rewrite: rw }),
          advice('column.disallow-change-type', 5, { level: 'warning', rewrite: { steps: [], plan: 'Changing the type of column "a" rewrites the table' } }),
        ]),
        error: null,
        hasSql: true,
      },
    })
    const items = w.findAll('[data-testid="advice-item"]')
    expect(items.map((i) => i.attributes('data-level'))).toEqual(['warning', 'warning', 'info'])
    expect(items[0]!.find('[data-testid="advice-rewrite-sql"]').text()).toBe('ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n-- in a later migration file:\nALTER TABLE t VALIDATE CONSTRAINT c;')
    await items[0]!.find('[data-testid="advice-apply-fix"]').trigger('click')
    expect(w.emitted('fix')).toEqual([[3]])
    expect(w.emitted('select')).toBeUndefined()
    expect(items[1]!.find('[data-testid="advice-apply-fix"]').exists()).toBe(false)
    expect(items[1]!.find('[data-testid="advice-plan"]').text()).toContain('rewrites the table')
    expect(items[2]!.find('[data-testid="advice-rewrite"]').exists()).toBe(false)
  })

  it('says "No problems found" for clean SQL, and what to do with none', () => {
    const clean = mount(AdviceList, { props: { result: result([]), error: null, hasSql: true } })
    expect(clean.find('[data-testid="review-no-problems"]').text()).toContain('No problems found')
    const none = mount(AdviceList, { props: { result: result([]), error: null, hasSql: false } })
    expect(none.find('[data-testid="review-empty"]').text()).toContain('open a .sql file')
  })

  it('shows a syntax error and a failed review with its SQLSTATE', async () => {
    const w = mount(AdviceList, {
      props: { result: result([], { syntaxError: { message: 'syntax error at end of input', line: 4, column: 2 } }), error: new api.ApiError({ message: 'connection refused', sqlstate: '08001' }), hasSql: true },
    })
    expect(w.find('[data-testid="review-syntax-error"]').text()).toContain('syntax error at end of input')
    await w.find('[data-testid="review-syntax-error"]').trigger('click')
    expect(w.emitted('select')).toEqual([[4, 2]])
    expect(w.find('[data-testid="review-error-sqlstate"]').text()).toBe('SQLSTATE 08001')
    expect(w.find('[data-testid="review-no-problems"]').exists()).toBe(false)
  })
})

describe('payload editor', () => {
  it('saves the edited number and shows the engine refusal under the input', async () => {
    const save = vi.fn().mockRejectedValueOnce(new api.ApiError({ message: 'rule index.key-number-limit: payload needs a positive number' })).mockResolvedValue(undefined)
    const w = mountWithProviders(PayloadEditor, { type: 'number', payload: { ...payload0, number: 5 }, defaultPayload: { ...payload0, number: 5 }, placeholders: [], save })
    await flushPromises()
    const input = q('[data-testid="payload-number"] input') as HTMLInputElement
    input.value = '0'
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new Event('blur'))
    await flushPromises()
    ;(q('[data-testid="payload-save"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(save).toHaveBeenCalledWith({ ...payload0, number: 0 })
    expect(q('[data-testid="payload-error"]')?.textContent).toContain('positive number')
    w.unmount()
  })

  it('edits a regex format', async () => {
    const save = vi.fn().mockResolvedValue(undefined)
    const w = mountWithProviders(PayloadEditor, { type: 'regex', payload: { ...payload0, format: '^a$', maxLength: 63 }, defaultPayload: { ...payload0, format: '^a$', maxLength: 63 }, placeholders: [], save })
    await flushPromises()
    const input = q('[data-testid="payload-format"] input') as HTMLInputElement
    input.value = '^tbl_[a-z]+$'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(q('[data-testid="payload-save"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(save).toHaveBeenCalledWith({ ...payload0, format: '^tbl_[a-z]+$', maxLength: 63 })
    expect(q('[data-testid="payload-error"]')).toBeNull()
    w.unmount()
  })
})

function prodPolicy(): ReviewPolicy {
  return {
    environmentId: 'prod',
    name: 'advanced',
    template: 'advanced',
    customized: false,
    updatedAt: '',
    rules: [
      { id: 'table.require-pk', level: 'error', payload: null },
      { id: 'naming.table', level: 'warning', payload: { ...payload0, format: '^[a-z]+$', maxLength: 63 } },
      { id: 'column.comment', level: 'off', payload: null },
    ],
  }
}

describe('policy editor', () => {
  function setup() {
    const pinia = createPinia()
    setActivePinia(pinia)
    const s = useReviewStore()
    s.rules = [ruleInfo('column.comment', { title: 'Columns have comments', level: 'warning' }), ruleInfo('naming.table', { title: 'Table names follow a pattern', payloadType: 'regex' }), ruleInfo('table.require-pk', { title: 'Tables have a primary key' })]
    s.rulesLoaded = true
    s.policies = { prod: prodPolicy() }
    return mountWithProviders(PolicyEditor, { environmentId: 'prod', environmentName: 'Prod' }, pinia)
  }

  it('searches rules and shows settings only for enabled rules with a payload', async () => {
    const w = setup()
    await flushPromises()
    expect(qa('[data-testid^="policy-rule-"][class~="rule"]').length).toBe(3)
    expect(q('[data-testid="policy-summary"]')?.textContent).toContain('2 of 3 rules on')
    expect(qa('[data-testid="payload-editor"]').length).toBe(1)
    const search = q('[data-testid="policy-search"] input') as HTMLInputElement
    search.value = 'primary'
    search.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(qa('.rule').map((e) => e.getAttribute('data-testid'))).toEqual(['policy-rule-table.require-pk'])
    search.value = 'nothing-like-this'
    search.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid="policy-no-rules"]')).not.toBeNull()
    w.unmount()
  })

  it('toggles a rule off and sets a level, saving through the store', async () => {
    const w = setup()
    await flushPromises()
    mocked.saveReviewPolicy.mockImplementation(async (_id, p) => p)
    mocked.reviewSQL.mockResolvedValue(result([]))
    ;(q('[data-testid="policy-rule-table.require-pk"] [data-testid="policy-rule-toggle"]') as HTMLElement).click()
    await flushPromises()
    expect(mocked.saveReviewPolicy).toHaveBeenCalledTimes(1)
    expect(mocked.saveReviewPolicy.mock.calls[0]![1].rules.find((r) => r.id === 'table.require-pk')?.level).toBe('off')
    expect(useReviewStore().policies.prod!.rules.find((r) => r.id === 'table.require-pk')?.level).toBe('off')

    ;(q('[data-testid="policy-rule-column.comment"] [data-testid="level-error"] input') as HTMLInputElement).click()
    await flushPromises()
    expect(mocked.saveReviewPolicy.mock.calls[1]![1].rules.find((r) => r.id === 'column.comment')?.level).toBe('error')
    w.unmount()
  })

  it('notifies when the engine refuses a change and keeps the old setting', async () => {
    const w = setup()
    await flushPromises()
    mocked.saveReviewPolicy.mockRejectedValue(new api.ApiError({ message: 'invalid policy: rule table.require-pk: broken' }))
    ;(q('[data-testid="policy-rule-table.require-pk"] [data-testid="policy-rule-toggle"]') as HTMLElement).click()
    await flushPromises()
    expect(q('[data-testid="error-message"]')?.textContent).toContain('table.require-pk')
    expect(useReviewStore().policies.prod!.rules.find((r) => r.id === 'table.require-pk')?.level).toBe('error')
    w.unmount()
  })
})

describe('review view', () => {
  it('picks Prod, reviews its SQL, and lists the advice', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const envs = useEnvironmentsStore()
    envs.items = [
      { id: 'test', name: 'Test', position: 0, protected: false },
      { id: 'prod', name: 'Prod', position: 1, protected: true },
    ]
    envs.loaded = true
    mocked.reviewRules.mockResolvedValue([ruleInfo('table.require-pk')])
    mocked.reviewPolicy.mockResolvedValue(prodPolicy())
    mocked.reviewSQL.mockResolvedValue(result([advice('table.require-pk', 1)]))
    const s = useReviewStore()
    s.sql = 'CREATE TABLE t(a int);'
    const w = mountWithProviders(ReviewView, {}, pinia)
    await flushPromises()
    expect(s.environmentId).toBe('prod')
    expect(mocked.reviewPolicy).toHaveBeenCalledWith('prod')
    expect(mocked.reviewSQL).toHaveBeenCalledWith({ sql: 'CREATE TABLE t(a int);', environmentId: 'prod', databaseId: '' })
    expect(qa('[data-testid="advice-item"]').map((e) => e.getAttribute('data-rule'))).toEqual(['table.require-pk'])
    expect(q('[data-testid="review-editor"]')).not.toBeNull()
    w.unmount()
  })

  it("names the policy's template and what it is for, and applies every fix", async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const envs = useEnvironmentsStore()
    envs.items = [{ id: 'prod', name: 'Prod', position: 0, protected: true }]
    envs.loaded = true
    mocked.reviewRules.mockResolvedValue([ruleInfo('index.create-concurrently')])
    mocked.reviewTemplates.mockResolvedValue([
      { name: 'default', title: 'Default (safety)', purpose: 'Flags what can hurt a running system.' },
      { name: 'advanced', title: 'Advanced (everything)', purpose: 'Every rule.' },
    ])
    mocked.reviewPolicy.mockResolvedValue({ ...prodPolicy(), name: 'default', template: 'default' })
    const rw = { steps: [{ sql: 'CREATE INDEX CONCURRENTLY i ON t USING btree (a)', nonTransactional: true, newUnit: false }], plan: '' }
    mocked.reviewSQL.mockResolvedValueOnce(result([advice('index.create-concurrently', 1, { rewrite: rw })])).mockResolvedValue(result([]))
    mocked.fixSQL.mockResolvedValue({ sql: 'CREATE INDEX CONCURRENTLY i ON t USING btree (a);\n', units: 1, applied: 1, kept: [], errors: 0, warnings: 0, infos: 0, syntaxError: null })
    const s = useReviewStore()
    s.sql = 'CREATE INDEX i ON t (a);'
    const w = mountWithProviders(ReviewView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="review-policy-template"]')?.textContent).toContain('from the Default (safety) template')
    expect(q('[data-testid="review-template-purpose"]')?.textContent).toBe('Flags what can hurt a running system.')
    const all = q('[data-testid="review-apply-all"]') as HTMLElement
    expect(all.textContent).toContain('Apply all fixes (1)')
    all.click()
    await flushPromises()
    expect(mocked.fixSQL).toHaveBeenCalledWith({ sql: 'CREATE INDEX i ON t (a);', environmentId: 'prod', databaseId: '' }, 0)
    expect(s.sql).toBe('CREATE INDEX CONCURRENTLY i ON t USING btree (a);\n')
    expect(q('[data-testid="review-apply-all"]')).toBeNull()
    w.unmount()
  })
})
