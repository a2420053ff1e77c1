import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  listChanges: vi.fn(),
  reconcileChanges: vi.fn(),
  getChange: vi.fn(),
  checkChange: vi.fn(),
  applyChange: vi.fn(),
}))

import * as api from '../../api'
import ChangeHistoryTab from './ChangeHistoryTab.vue'
import SqlInput from './SqlInput.vue'
import { durationLabel, sourceLabel, statusTag } from './format'
import { change } from './testdata'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel))
const click = (sel: string) => (q(sel) as HTMLElement).click()

function fresh() {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('history labels', () => {
  it('colour statuses and name sources and durations', () => {
    expect(statusTag('done')).toBe('success')
    expect(statusTag('failed')).toBe('error')
    expect(statusTag('started')).toBe('warning')
    expect(statusTag('other')).toBe('default')
    expect(sourceLabel({ source: 'other machine' })).toBe('Other machine')
    expect(sourceLabel({ source: 'ui' })).toBe('Tidemark app')
    expect(durationLabel(42)).toBe('42 ms')
    expect(durationLabel(1500)).toBe('1.5 s')
    expect(durationLabel(125_000)).toBe('2 min 5 s')
  })
})

describe('change history tab', () => {
  it('says what to do when there is no change yet, and Refresh reads the target', async () => {
    mocked.listChanges.mockResolvedValue([])
    mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    expect(mocked.listChanges).toHaveBeenCalledWith('db1')
    expect(q('[data-testid="history-empty"]')?.textContent).toContain('No changes yet — apply one with Apply a change, or run `tidemark migrate apply`')
    mocked.reconcileChanges.mockResolvedValue([change({ id: 'o', version: '3', source: 'other machine', seenOnSync: true, host: 'ci-7' })])
    click('[data-testid="history-refresh"]')
    await flushPromises()
    expect(mocked.reconcileChanges).toHaveBeenCalledWith('db1')
    expect(q('[data-testid="history-empty"]')).toBeNull()
    const row = q('[data-testid="history-row-3"]')
    expect(row?.textContent).toContain('Other machine')
    expect(row?.querySelector('[data-testid="history-origin"]')?.textContent).toContain('seen on sync')
  })

  it('lists changes with coloured statuses and opens the detail with the statement and the merge view', async () => {
    mocked.listChanges.mockResolvedValue([
      change({ id: 'f', version: '2', status: 'failed', sqlstate: '42P01', error: 'relation "x" does not exist', afterSnapshotId: '' }),
      change({ id: 'c1', version: '1', description: 'add invoices', durationMs: 1500 }),
    ])
    mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    const row = q('[data-testid="history-row-1"]')!
    for (const text of ['1', 'ddl', 'done', 'add invoices', 'Tidemark app', 'ann @ laptop', '1.5 s']) expect(row.textContent).toContain(text)
    expect(q('[data-testid="history-row-2"] [data-testid="history-status"]')?.getAttribute('data-colour')).toBe('error')
    expect(q('[data-testid="history-row-1"] [data-testid="history-status"]')?.getAttribute('data-colour')).toBe('success')

    mocked.getChange.mockResolvedValue({
      change: change({ id: 'c1', version: '1' }),
      statement: 'CREATE TABLE invoices (id int);',
      beforeDdl: 'CREATE TABLE a ();\n',
      afterDdl: 'CREATE TABLE a ();\nCREATE TABLE invoices (id int);\n',
      hasBefore: true,
      hasAfter: true,
      objects: [{ action: 'added', kind: 'table', schema: 'public', name: 'invoices' }],
      hasObjects: true,
    })
    ;(row as HTMLElement).click()
    await flushPromises()
    expect(mocked.getChange).toHaveBeenCalledWith('db1', 'c1')
    expect(q('[data-testid="history-detail"]')?.textContent).toContain('Version 1')
    expect(q('[data-testid="history-detail-statement"] .cm-content')?.textContent).toContain('CREATE TABLE invoices (id int);')
    const sides = qa('[data-testid="ddl-merge"] .cm-content').map((e) => e.textContent)
    expect(sides).toHaveLength(2)
    expect(sides[0]).not.toContain('invoices')
    expect(sides[1]).toContain('CREATE TABLE invoices')
    const objects = qa('[data-testid="history-detail-object"]').map((e) => [...e.children].map((c) => c.textContent?.trim()).join(' '))
    expect(objects).toEqual(['added table public.invoices'])
  })

  it('says when a change touched no schema object', async () => {
    mocked.listChanges.mockResolvedValue([change({ id: 'd', version: '3', type: 'dml' })])
    mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    mocked.getChange.mockResolvedValue({
      change: change({ id: 'd', version: '3', type: 'dml' }),
      statement: 'UPDATE t SET a = 1 WHERE id = 2;',
      beforeDdl: 'CREATE TABLE t ();\n',
      afterDdl: 'CREATE TABLE t ();\n',
      hasBefore: true,
      hasAfter: true,
      objects: [],
      hasObjects: true,
    })
    click('[data-testid="history-row-3"]')
    await flushPromises()
    expect(q('[data-testid="history-detail-objects-empty"]')?.textContent).toContain('No schema objects changed')
    expect(q('[data-testid="history-detail-object"]')).toBeNull()
  })

  it('shows a failed change with its SQLSTATE and says why there is no diff', async () => {
    mocked.listChanges.mockResolvedValue([change({ id: 'f', version: '2', status: 'failed' })])
    mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    mocked.getChange.mockResolvedValue({
      change: change({ id: 'f', version: '2', status: 'failed', error: 'relation "x" does not exist', sqlstate: '42P01', failedLine: 3, failedStatement: 'ALTER TABLE x ADD y int', afterSnapshotId: '' }),
      statement: 'SELECT 1;\n\nALTER TABLE x ADD y int;',
      beforeDdl: 'CREATE TABLE a ();',
      afterDdl: '',
      hasBefore: true,
      hasAfter: false,
      objects: [],
      hasObjects: false,
    })
    click('[data-testid="history-row-2"]')
    await flushPromises()
    const err = q('[data-testid="history-detail-error"]')?.textContent ?? ''
    expect(err).toContain('SQLSTATE 42P01')
    expect(err).toContain('Line 3: ALTER TABLE x ADD y int')
    expect(q('[data-testid="history-detail-no-diff"]')?.textContent).toContain('no schema after it')
    expect(q('[data-testid="ddl-merge"]')).toBeNull()
  })
})

describe('apply a change', () => {
  async function openDrawer() {
    mocked.listChanges.mockResolvedValue([])
    const w = mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    click('[data-testid="history-apply-open"]')
    await flushPromises()
    return w
  }

  it('prefills a timestamp version and asks before applying to production', async () => {
    const w = await openDrawer()
    const version = q('[data-testid="history-apply-version"] input') as HTMLInputElement
    expect(version.value).toMatch(/^\d{14}$/)
    expect((q('[data-testid="history-apply-submit"]') as HTMLButtonElement).disabled).toBe(true)
    w.findComponent(SqlInput).vm.$emit('update:modelValue', 'DROP TABLE old_orders;')
    await flushPromises()
    mocked.checkChange.mockResolvedValue({ databaseName: 'shop', environmentName: 'Prod', production: true, destructive: ['line 1: DROP TABLE'], needsConfirm: true })
    mocked.applyChange.mockResolvedValue(change({ id: 'n', version: version.value }))
    click('[data-testid="history-apply-submit"]')
    await flushPromises()
    const dialog = q('[data-testid="history-confirm"]')?.textContent ?? ''
    expect(dialog).toContain('shop is in Prod, a production environment')
    expect(dialog).toContain('line 1: DROP TABLE')
    expect(mocked.applyChange).not.toHaveBeenCalled()
    const yes = qa('.n-dialog button').find((b) => b.textContent?.includes('Apply')) as HTMLElement
    yes.click()
    await flushPromises()
    expect(mocked.applyChange).toHaveBeenCalledWith(
      expect.objectContaining({ databaseId: 'db1', version: version.value, type: 'ddl', statement: 'DROP TABLE old_orders;', confirm: true }),
    )
  })

  it('applies without asking in a test environment, and shows a failure with its SQLSTATE and line', async () => {
    const w = await openDrawer()
    w.findComponent(SqlInput).vm.$emit('update:modelValue', 'ALTER TABLE missing ADD x int;')
    await flushPromises()
    mocked.checkChange.mockResolvedValue({ databaseName: 'shop', environmentName: 'Test', production: false, destructive: [], needsConfirm: false })
    mocked.applyChange.mockRejectedValue(
      new api.ApiError({ message: 'relation "missing" does not exist', sqlstate: '42P01', detail: 'Statement 1 of 1, line 1: ALTER TABLE missing ADD x int', field: 'statement' }),
    )
    click('[data-testid="history-apply-submit"]')
    await flushPromises()
    expect(q('[data-testid="history-confirm"]')).toBeNull()
    expect(mocked.applyChange).toHaveBeenCalledWith(expect.objectContaining({ confirm: false }))
    expect(q('[data-testid="history-apply-error-message"]')?.textContent).toContain('relation "missing" does not exist')
    expect(q('[data-testid="history-apply-error-sqlstate"]')?.textContent).toBe('SQLSTATE 42P01')
    expect(q('[data-testid="history-apply-error"]')?.textContent).toContain('line 1: ALTER TABLE missing')
    // the drawer stays open to fix the statement
    expect(q('[data-testid="history-apply-drawer"]')).not.toBeNull()
  })
})
