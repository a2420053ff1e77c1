import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  compareSchemas: vi.fn(),
  pickSchemaFile: vi.fn(),
  saveMigration: vi.fn(),
  compareSettings: vi.fn(),
  setScratchInstance: vi.fn(),
  listSnapshots: vi.fn(),
  copyText: vi.fn(),
}))

import * as api from '../../api'
import CompareView from '../../views/CompareView.vue'
import MigrationPanel from './MigrationPanel.vue'
import DdlMerge from './DdlMerge.vue'
import SidePicker from './SidePicker.vue'
import { statementLines } from './codemirror'
import { hazardLabel, hazardTag } from './hazards'
import { compareResult } from './testdata'
import { useCompareStore } from '../../stores/compare'
import { useDatabasesStore } from '../../stores/databases'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { database } from '../../stores/testdata'

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
  mocked.compareSettings.mockResolvedValue({ scratchInstanceId: '' })
})

describe('statementLines', () => {
  it('finds each statement after the previous one, past hazard comments', () => {
    const script = '-- hazard x: y\nDROP TABLE a;\n\nDROP TABLE a;\n\nCREATE TABLE b ();\n'
    expect(statementLines(script, ['DROP TABLE a', 'DROP TABLE a', 'CREATE TABLE b ()', 'missing'])).toEqual([2, 4, 6, 0])
  })
})

describe('hazard badges', () => {
  it('name and colour every engine hazard type, and fall back for new ones', () => {
    expect(hazardLabel('deletes_data')).toBe('deletes data')
    expect(hazardTag('deletes_data')).toBe('error')
    expect(hazardTag('builds_index')).toBe('info')
    expect(hazardTag('access_exclusive_lock')).toBe('warning')
    expect(hazardLabel('some_new_type')).toBe('some new type')
    expect(hazardTag('some_new_type')).toBe('default')
  })
})

describe('migration panel', () => {
  it('lists statements with a badge per hazard and emits copy and save', async () => {
    fresh()
    const r = compareResult()
    const w = mountWithProviders(MigrationPanel, { result: r, dark: false, canSave: true })
    await flushPromises()
    const rows = qa('[data-testid="migration-statement"]')
    expect(rows).toHaveLength(3)
    expect(rows[0]!.querySelectorAll('[data-testid="hazard-badge"]')).toHaveLength(0)
    expect(rows[1]!.querySelector('[data-hazard="builds_index"]')?.textContent).toContain('builds index')
    expect(Array.from(rows[2]!.querySelectorAll('[data-testid="hazard-badge"]')).map((b) => b.getAttribute('data-hazard'))).toEqual([
      'deletes_data',
      'access_exclusive_lock',
    ])
    expect(q('[data-testid="migration-summary"]')?.textContent).toMatch(/3 statements,\s+2 with hazards/)
    // the script is in a read-only CodeMirror
    const editor = q('[data-testid="sql-viewer"] .cm-content')
    expect(editor?.getAttribute('contenteditable')).toBe('false')
    expect(editor?.textContent).toContain('ADD COLUMN price numeric')
    click('[data-testid="migration-copy"]')
    click('[data-testid="migration-save"]')
    const panel = w.findComponent(MigrationPanel)
    expect(panel.emitted('copy')).toHaveLength(1)
    expect(panel.emitted('save')).toHaveLength(1)
    rows[2]!.dispatchEvent(new Event('click')) // scrolls the editor; must not throw
  })

  it('marks statements that must run outside a transaction', async () => {
    fresh()
    const r = compareResult({
      statements: [{ sql: 'CREATE INDEX CONCURRENTLY i ON t (c)', hazards: [], transactional: false, object: 'index:i', lockTimeoutMs: 3000, statementTimeoutMs: 0 }],
      script: 'CREATE INDEX CONCURRENTLY i ON t (c);\n',
    })
    mountWithProviders(MigrationPanel, { result: r, dark: true, canSave: false })
    await flushPromises()
    expect(q('[data-testid="statement-non-tx"]')?.textContent).toContain('outside transaction')
    expect((q('[data-testid="migration-save"]') as HTMLButtonElement).disabled).toBe(true)
  })
})

describe('DDL merge view', () => {
  it('shows both sides read-only with their labels', async () => {
    fresh()
    mountWithProviders(DdlMerge, { source: 'CREATE TABLE a ();\n', target: 'CREATE TABLE b ();\n', sourceLabel: 'A', targetLabel: 'B', dark: false })
    await flushPromises()
    expect(q('[data-testid="ddl-source-label"]')?.textContent).toBe('A')
    const editors = qa('[data-testid="ddl-merge"] .cm-content')
    expect(editors).toHaveLength(2)
    expect(editors.map((e) => e.textContent)).toEqual(['CREATE TABLE a ();', 'CREATE TABLE b ();'])
    expect(editors.every((e) => e.getAttribute('contenteditable') === 'false')).toBe(true)
  })
})

describe('side picker', () => {
  it('lists databases as instance / name and says what to do when there are none', async () => {
    const pinia = fresh()
    mountWithProviders(SidePicker, { name: 'source', title: 'Source' }, pinia)
    await flushPromises()
    expect(q('[data-testid="source-no-databases"]')?.textContent).toContain('add and sync an instance')
    document.body.innerHTML = ''
    const pinia2 = fresh()
    useDatabasesStore().items = [database('d1', 'orders', 'i1')]
    mountWithProviders(SidePicker, { name: 'target', title: 'Target' }, pinia2)
    await flushPromises()
    expect(q('[data-testid="target-no-databases"]')).toBeNull()
    expect(q('[data-testid="target-database"]')).not.toBeNull()
  })

  it('lists the snapshots of the chosen database, or says to sync it first', async () => {
    const pinia = fresh()
    useDatabasesStore().items = [database('d1', 'orders', 'i1')]
    const store = useCompareStore()
    store.source.kind = 'snapshot'
    mountWithProviders(SidePicker, { name: 'source', title: 'Source' }, pinia)
    await flushPromises()
    expect(q('[data-testid="source-snapshot"]')).not.toBeNull()
    mocked.listSnapshots.mockResolvedValueOnce([])
    store.source.snapshotDatabaseId = 'd1'
    await flushPromises()
    expect(mocked.listSnapshots).toHaveBeenCalledWith('d1')
    expect(q('[data-testid="source-no-snapshots"]')?.textContent).toContain('sync its schema first')
  })

  it('takes a file from the dialog or pasted SQL', async () => {
    const pinia = fresh()
    const store = useCompareStore()
    store.target.kind = 'file'
    mountWithProviders(SidePicker, { name: 'target', title: 'Target' }, pinia)
    await flushPromises()
    mocked.pickSchemaFile.mockResolvedValue('/home/me/schema.sql')
    click('[data-testid="target-browse"]')
    await flushPromises()
    expect(store.target.path).toBe('/home/me/schema.sql')
    expect((q('[data-testid="target-path"] input') as HTMLInputElement).value).toBe('/home/me/schema.sql')
    store.target.fileMode = 'paste'
    await flushPromises()
    const area = q('[data-testid="target-sql"] textarea') as HTMLTextAreaElement
    area.value = 'CREATE TABLE t (id int);'
    area.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(store.target.sql).toBe('CREATE TABLE t (id int);')
    expect(store.ready).toBe(false) // the source is still empty
  })
})

describe('compare view', () => {
  it('starts empty, runs a comparison of two databases and shows the migration', async () => {
    const pinia = fresh()
    useDatabasesStore().items = [database('d1', 'orders', 'i1'), database('d2', 'orders_v2', 'i1')]
    mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="compare-empty"]')?.textContent).toContain('Pick two schemas to compare')
    expect((q('[data-testid="compare-run"]') as HTMLButtonElement).disabled).toBe(true)
    const store = useCompareStore()
    store.source.databaseId = 'd1'
    store.target.databaseId = 'd2'
    await flushPromises()
    expect((q('[data-testid="compare-run"]') as HTMLButtonElement).disabled).toBe(false)
    mocked.compareSchemas.mockResolvedValue(compareResult())
    click('[data-testid="compare-run"]')
    await flushPromises()
    expect(mocked.compareSchemas).toHaveBeenCalledTimes(1)
    expect(q('[data-testid="compare-labels"]')?.textContent).toContain('Local / a')
    expect(q('[data-testid="compare-validation"]')?.textContent).toContain('Validated')
    expect(qa('[data-testid="migration-statement"]')).toHaveLength(3)
    expect(qa('[data-testid="hazard-badge"]').length).toBe(3)
    mocked.copyText.mockResolvedValue()
    click('[data-testid="migration-copy"]')
    await flushPromises()
    expect(mocked.copyText).toHaveBeenCalledWith(store.result!.script)
  })

  it('takes the source database from the route (the database page\'s "Compare with…")', async () => {
    const pinia = fresh()
    useCompareStore().result = compareResult()
    const w = mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    await w.vm.$router.push({ path: '/compare', query: { source: 'd7' } })
    await flushPromises()
    expect(useCompareStore().source).toMatchObject({ kind: 'database', databaseId: 'd7' })
    expect(useCompareStore().result).toBeNull()
    expect(q('[data-testid="compare-empty"]')).not.toBeNull()
  })

  it('says when the schemas are identical', async () => {
    const pinia = fresh()
    useCompareStore().result = compareResult({ identical: true, statements: [], script: '-- No changes: the schemas are equal.\n' })
    mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="compare-identical"]')?.textContent).toContain('Schemas are identical — nothing to do')
    expect(q('[data-testid="migration-panel"]')).toBeNull()
  })

  it('shows a refusal with the objects still differing, and no migration', async () => {
    const pinia = fresh()
    useCompareStore().result = compareResult({
      statements: [],
      script: '',
      validation: {
        status: 'refused',
        reason: 'Tidemark refuses this plan',
        refusals: [{ object: 'table:public.orders', reason: 'depends on type:public.amount, which must be dropped and re-created' }],
      },
    })
    mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="compare-refused"]')?.textContent).toContain('Tidemark refuses this plan')
    expect(q('[data-testid="compare-refusal"]')?.textContent).toContain('table:public.orders')
    expect(q('[data-testid="compare-validation"]')?.textContent).toContain('Refused')
    expect(q('[data-testid="migration-panel"]')).toBeNull()
  })

  it('shows an unvalidated plan with the reason, and unsupported objects', async () => {
    const pinia = fresh()
    useCompareStore().result = compareResult({
      validation: { status: 'skipped', reason: 'no scratch server: start the sample instance', refusals: [] },
      unsupported: [{ side: 'source', kind: 'rule', schema: 'public', name: 'r1', detail: 'rule r1 on t' }],
    })
    mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="compare-skipped"]')?.textContent).toContain('start the sample instance')
    expect(q('[data-testid="compare-unsupported"]')?.textContent).toContain('public.r1')
  })

  it('shows the error message and SQLSTATE', async () => {
    const pinia = fresh()
    const store = useCompareStore()
    store.source.databaseId = 'd1'
    store.target = { ...store.target, kind: 'file', fileMode: 'paste', sql: 'CREATE TABEL x ()' }
    mountWithProviders(CompareView, {}, pinia)
    await flushPromises()
    mocked.compareSchemas.mockRejectedValue(new api.ApiError({ message: 'pasted SQL:1: syntax error at or near "TABEL"', sqlstate: '42601' }))
    click('[data-testid="compare-run"]')
    await flushPromises()
    expect(q('[data-testid="compare-error-message"]')?.textContent).toContain('syntax error')
    expect(q('[data-testid="compare-error-sqlstate"]')?.textContent).toBe('SQLSTATE 42601')
  })
})
