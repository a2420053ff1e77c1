import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  listChanges: vi.fn(),
  reconcileChanges: vi.fn(),
  getChange: vi.fn(),
}))

import * as api from '../../api'
import ChangeHistoryTab from './ChangeHistoryTab.vue'
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
    expect(q('[data-testid="history-empty"]')?.textContent).toContain('No changes yet — change the schema with Alter schema')
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

describe('new changes go through issues', () => {
  it('offers Alter schema instead of applying directly, and links the issue that rolled a change out', async () => {
    mocked.listChanges.mockResolvedValue([change({ id: 'a', version: '7', issue: 12, description: '#12 add invoices' }), change({ id: 'b', version: '6', issue: 0 })])
    const w = mountWithProviders(ChangeHistoryTab, { databaseId: 'db1', databaseName: 'shop' }, fresh())
    await flushPromises()
    expect(q('[data-testid="history-apply-open"]')).toBeNull()
    const link = q('[data-testid="history-row-7"] [data-testid="history-issue"]')
    expect(link?.textContent).toBe('#12')
    expect(link?.getAttribute('href')).toContain('/issues/12')
    expect(q('[data-testid="history-row-6"] [data-testid="history-issue"]')).toBeNull()
    click('[data-testid="history-alter"]')
    expect(w.findComponent(ChangeHistoryTab).emitted('alter')).toHaveLength(1)
  })
})
