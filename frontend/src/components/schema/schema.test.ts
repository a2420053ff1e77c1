import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  listDatabases: vi.fn(),
  schemaSummary: vi.fn(),
  syncSchema: vi.fn(),
  schemaTree: vi.fn(),
  schemaObject: vi.fn(),
  schemaDDL: vi.fn(),
  chooseDDLPath: vi.fn(),
  saveDDL: vi.fn(),
  copyToClipboard: vi.fn(),
}))
vi.mock('../../api/anomaly', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/anomaly')>()),
  openAnomalyCount: vi.fn(async () => 0),
  listAnomalies: vi.fn(async () => []),
  onAnomalyChanged: vi.fn(() => () => {}),
}))

import * as api from '../../api'
import type { SchemaNode, SchemaSummary } from '../../api'
import { routes } from '../../router'
import DatabaseView from '../../views/DatabaseView.vue'
import DatabasesView from '../../views/DatabasesView.vue'
import CodeViewer from './CodeViewer.vue'
import { useDatabasesStore } from '../../stores/databases'
import { useAppStore } from '../../stores/app'
import { database } from '../../stores/testdata'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)
const click = (sel: string) => (q(sel) as HTMLElement).click()

function summaryOf(extra: Partial<SchemaSummary> = {}): SchemaSummary {
  return {
    databaseId: 'd1',
    synced: true,
    snapshot: {
      id: 's1',
      databaseId: 'd1',
      takenAt: '2026-01-01T00:00:00Z',
      durationMs: 1500,
      fingerprint: 'f',
      serverVersion: '15.14',
      modelSize: 1,
      ddlSize: 1,
      unsupported: [],
      skipped: [],
    },
    counts: { schemas: 1, tables: 2, views: 0, materializedViews: 0, functions: 1, procedures: 0, types: 0, sequences: 0 },
    lastAttemptAt: '2026-01-01T00:00:00Z',
    lastError: '',
    lastSqlstate: '',
    ...extra,
  }
}
const n = (id: string, label: string, kind: string, children: SchemaNode[] = []): SchemaNode => ({ id, label, kind, detail: '', children })
const tree = () => [
  n('schema:hr', 'hr', 'schema', [
    n('group:schema:hr/tables', 'Tables (2)', 'group', [n('table:hr.employees', 'employees', 'table'), n('table:hr.salaries', 'salaries', 'table')]),
  ]),
]

async function mountDatabase(id = 'd1') {
  const pinia = createPinia()
  setActivePinia(pinia)
  useDatabasesStore().items = [database('d1', 'hr_test', 'i1', { instanceName: 'Sample' })]
  useDatabasesStore().loaded = true
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(`/databases/${id}`)
  await router.isReady()
  const Host = defineComponent({
    setup: () => () =>
      h(NNotificationProvider, null, {
        default: () => h(NMessageProvider, null, { default: () => h(NDialogProvider, null, { default: () => h(DatabaseView) }) }),
      }),
  })
  const w = mount(Host, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return w
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('CodeViewer', () => {
  it('shows the SQL with PostgreSQL highlighting, updates in place, follows dark mode', async () => {
    setActivePinia(createPinia())
    const w = mount(CodeViewer, { props: { doc: 'CREATE TABLE t (id integer);', dark: false }, attachTo: document.body })
    await nextTick()
    const el = () => document.body.querySelector('[data-testid="code-viewer"]') as HTMLElement
    expect(el().querySelector('.cm-content')?.textContent).toContain('CREATE TABLE t (id integer);')
    expect(el().querySelector('.cm-content')?.getAttribute('contenteditable')).toBe('false')
    expect(el().classList.contains('dark')).toBe(false)
    await w.setProps({ doc: 'SELECT 1;', dark: true })
    expect(el().querySelector('.cm-content')?.textContent).toBe('SELECT 1;')
    expect(el().classList.contains('dark')).toBe(true)
    expect((w.vm as unknown as { text: () => string }).text()).toBe('SELECT 1;')
    w.unmount()
  })

  it('follows the app theme when dark is not given', async () => {
    setActivePinia(createPinia())
    useAppStore().theme = 'dark'
    const w = mount(CodeViewer, { props: { doc: 'SELECT 1' }, attachTo: document.body })
    await nextTick()
    expect(q('[data-testid="code-viewer"]')?.classList.contains('dark')).toBe(true)
    useAppStore().theme = 'light'
    await nextTick()
    expect(q('[data-testid="code-viewer"]')?.classList.contains('dark')).toBe(false)
    w.unmount()
  })
})

describe('database page', () => {
  it('never synced: an empty state whose button syncs, then the tree', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf({ synced: false, lastAttemptAt: '' }))
    const w = await mountDatabase()
    expect(q('[data-testid="database-view"]')?.textContent).toContain('hr_test')
    expect(q('[data-testid="database-facts"]')?.textContent).toContain('Sample')
    expect(q('[data-testid="schema-never-synced"]')).not.toBeNull()
    expect(q('[data-testid="schema-last-sync"]')?.textContent).toContain('Never synced')
    mocked.syncSchema.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    click('[data-testid="schema-sync-empty"]')
    await flushPromises()
    expect(mocked.syncSchema).toHaveBeenCalledWith('d1')
    expect(q('[data-testid="schema-never-synced"]')).toBeNull()
    expect(q('[data-testid="schema-node-table:hr.employees"]')).not.toBeNull()
    expect(q('[data-testid="schema-counts"]')?.textContent).toContain('2 tables')
    expect(q('[data-testid="schema-last-sync"]')?.textContent).toContain('1.5 s')
    w.unmount()
  })

  it('selecting a table shows its properties and DDL', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    mocked.schemaObject.mockResolvedValue({
      id: 'table:hr.employees', kind: 'table', schema: 'hr', name: 'employees', parent: '',
      properties: [{ name: 'Owner', value: 'postgres' }], ddl: 'CREATE TABLE hr.employees (emp_no integer);',
    })
    const w = await mountDatabase()
    expect(q('[data-testid="object-detail-empty"]')).not.toBeNull()
    click('[data-testid="schema-node-table:hr.employees"]')
    await flushPromises()
    expect(mocked.schemaObject).toHaveBeenCalledWith('d1', 'table:hr.employees')
    expect(q('[data-testid="object-detail-name"]')?.textContent).toBe('hr.employees')
    expect(q('[data-testid="object-properties"]')?.textContent).toContain('postgres')
    expect(q('[data-testid="object-ddl"] .cm-content')?.textContent).toContain('CREATE TABLE hr.employees')
    w.unmount()
  })

  it('a failed last sync says why (with SQLSTATE) and keeps showing the previous snapshot; unsupported objects are listed', async () => {
    const snap = summaryOf().snapshot
    mocked.schemaSummary.mockResolvedValue(
      summaryOf({
        lastError: 'database "hr_test" does not exist',
        lastSqlstate: '3D000',
        snapshot: { ...snap, unsupported: [{ kind: 'rule', schema: 'public', name: 'r1', detail: 'rule r1 on t' }], skipped: [{ kind: 'schema', schema: '', name: 'secret', detail: 'no USAGE privilege' }] },
      }),
    )
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    const w = await mountDatabase()
    expect(q('[data-testid="schema-sync-error"]')?.textContent).toContain('showing the previous snapshot')
    expect(q('[data-testid="schema-sync-error"]')?.textContent).toContain('SQLSTATE 3D000')
    expect(q('[data-testid="schema-node-table:hr.employees"]')).not.toBeNull()
    expect(q('[data-testid="schema-unsupported"]')?.textContent).toContain('public.r1')
    expect(q('[data-testid="schema-skipped"]')?.textContent).toContain('no USAGE privilege')
    w.unmount()
  })

  it('Sync now failing notifies the error and shows the banner', async () => {
    mocked.schemaSummary.mockResolvedValueOnce(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    const w = await mountDatabase()
    mocked.syncSchema.mockRejectedValue(new api.ApiError({ message: 'password authentication failed', sqlstate: '28P01' }))
    mocked.schemaSummary.mockResolvedValueOnce(summaryOf({ lastError: 'password authentication failed', lastSqlstate: '28P01' }))
    click('[data-testid="schema-sync"]')
    await flushPromises()
    expect(q('[data-testid="error-sqlstate"]')?.textContent).toContain('28P01')
    expect(q('[data-testid="schema-sync-error-message"]')?.textContent).toContain('password authentication failed')
    w.unmount()
  })

  it('the DDL tab shows the whole DDL and saves it through the dialog', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    mocked.schemaDDL.mockResolvedValue('CREATE SCHEMA hr;')
    mocked.chooseDDLPath.mockResolvedValue('/tmp/hr.sql')
    const w = await mountDatabase()
    const tab = Array.from(document.body.querySelectorAll('.n-tabs-tab')).find((e) => e.textContent?.includes('DDL')) as HTMLElement
    tab.click()
    await flushPromises()
    expect(q('[data-testid="database-ddl"] .cm-content')?.textContent).toContain('CREATE SCHEMA hr;')
    click('[data-testid="ddl-save"]')
    await flushPromises()
    expect(mocked.saveDDL).toHaveBeenCalledWith('d1', '/tmp/hr.sql')
    click('[data-testid="ddl-copy"]')
    await flushPromises()
    expect(mocked.copyToClipboard).toHaveBeenCalledWith('CREATE SCHEMA hr;')
    w.unmount()
  })

  it('an unknown database id says so', async () => {
    const w = await mountDatabase('gone')
    expect(q('[data-testid="database-missing"]')).not.toBeNull()
    w.unmount()
  })

  it('the search filters the tree', async () => {
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: tree() })
    const w = await mountDatabase()
    const input = q('[data-testid="schema-search"] input') as HTMLInputElement
    input.value = 'salar'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid="schema-node-table:hr.salaries"]')).not.toBeNull()
    expect(q('[data-testid="schema-node-table:hr.employees"]')).toBeNull()
    input.value = 'zzz'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid="schema-search-empty"]')).not.toBeNull()
    w.unmount()
  })
})

describe('databases list', () => {
  it('links each database to its page', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useDatabasesStore().items = [database('d1', 'hr_test', 'i1')]
    useDatabasesStore().loaded = true
    const w = mountWithProviders(DatabasesView, {}, pinia)
    await flushPromises()
    const link = q('[data-testid="db-name"]') as HTMLAnchorElement
    expect(link.tagName).toBe('A')
    expect(link.getAttribute('href')).toContain('/databases/d1')
    w.unmount()
  })
})

describe('schema tree of a large database', () => {
  it('starts with the long group collapsed, and search finds a table deep in the list', async () => {
    const tables = Array.from({ length: 3000 }, (_, i) => n(`table:app.t${i}`, `t${i}`, 'table'))
    mocked.schemaSummary.mockResolvedValue(summaryOf())
    mocked.schemaTree.mockResolvedValue({ snapshotId: 's1', nodes: [n('schema:app', 'app', 'schema', [n('group:schema:app/tables', 'Tables (3000)', 'group', tables)])] })
    const w = await mountDatabase()
    // the long group starts collapsed
    expect(q('[data-testid="schema-node-table:app.t0"]')).toBeNull()
    const input = q('[data-testid="schema-search"] input') as HTMLInputElement
    input.value = 't2999'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid="schema-node-table:app.t2999"]')).not.toBeNull()
    expect(document.body.querySelectorAll('[data-testid^="schema-node-table:"]').length).toBe(1)
    w.unmount()
  })
})
