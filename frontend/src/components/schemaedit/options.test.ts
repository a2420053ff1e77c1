// The schema editor's options: index keys (expressions, order, operator class), INCLUDE and
// the concurrently switch; deferrable and NOT VALID-then-VALIDATE constraints; collation and
// generated columns; UNLOGGED and partitioning. Each test drives the real component against
// the real store, with only the api facade mocked, and checks the op it stages.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { NSelect } from 'naive-ui'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  openSchemaEditor: vi.fn(),
  applyEdit: vi.fn(),
  previewEdits: vi.fn(),
  closeSchemaEditor: vi.fn(),
}))

import * as api from '../../api'
import type { EditColumn, EditorState, EditTable } from '../../api'
import IndexPanel from './IndexPanel.vue'
import ConstraintPanel from './ConstraintPanel.vue'
import ColumnGrid from './ColumnGrid.vue'
import TableEditor from './TableEditor.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { collationLabel, columnFields, columnOps, useSchemaEditStore } from '../../stores/schemaedit'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel) as HTMLElement | null

const col = (name: string, extra: Partial<EditColumn> = {}): EditColumn => ({
  name, key: `column:public.t.${name}`, mark: '', type: 'text', default: null, notNull: false, identity: '', generated: '', comment: null, primaryKey: false, foreignKey: false, ...extra,
})
const tbl = (name: string, columns: EditColumn[], extra: Partial<EditTable> = {}): EditTable => ({
  schema: 'public', name, key: `table:public.${name}`, mark: '', comment: null, partitioned: false, columns, indexes: [], constraints: [], droppedColumns: [], ...extra,
})
function stateOf(tables: EditTable[], production = false): EditorState {
  return {
    sessionId: 'edit-1', databaseId: 'd1', databaseName: 'shop', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', production,
    model: { schemas: [{ name: 'public', key: 'schema:public', mark: '', tables, dropped: [] }], types: [], suggestions: ['bigint', 'text'], canUndo: false, canRedo: false, ops: 0 },
    problems: [],
  }
}

/** open mounts component over the first table of tables after opening a session on them. */
async function open(component: unknown, tables: EditTable[], production = false) {
  mocked.openSchemaEditor.mockResolvedValue(stateOf(tables, production))
  mocked.applyEdit.mockResolvedValue(stateOf(tables, production))
  const w = mountWithProviders(component as never, { table: tables[0] })
  await useSchemaEditStore().open('d1')
  await flushPromises()
  return w
}

function select(w: VueWrapper, testid: string, value: unknown) {
  const s = w.findAllComponents(NSelect).find((c) => c.attributes('data-testid') === testid)
  if (!s) throw new Error(`no select ${testid}`)
  s.vm.$emit('update:value', value)
}
function type(sel: string, value: string) {
  const input = q(`${sel} input`) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
}
const switchOn = (testid: string) => q(`[data-testid="${testid}"]`)?.classList.contains('n-switch--active')
const lastOp = () => mocked.applyEdit.mock.calls.at(-1)?.[1]

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  mocked.closeSchemaEditor.mockResolvedValue(undefined)
})

describe('IndexPanel', () => {
  it('stages an expression key with DESC NULLS LAST and an operator class, INCLUDE columns, following Online until the switch is touched', async () => {
    const w = await open(IndexPanel, [tbl('customers', [col('id', { type: 'bigint' }), col('name')])], true)
    expect(switchOn('index-concurrently')).toBe(true) // production: Online on, so the switch shows on
    q('[data-testid="index-add-expression"]')!.click()
    await flushPromises()
    type('[data-testid="index-key-expression"]', 'lower(name)')
    select(w, 'index-key-order', 'desc')
    select(w, 'index-key-nulls', 'last')
    type('[data-testid="index-key-opclass"]', 'text_pattern_ops')
    select(w, 'index-include', ['id'])
    await flushPromises()
    q('[data-testid="index-add"]')!.click()
    await flushPromises()
    expect(lastOp()).toEqual({
      op: 'add_index', schema: 'public', table: 'customers',
      index: { name: undefined, unique: false, method: 'btree', where: undefined, keys: [{ expression: 'lower(name)', order: 'desc', nulls: 'last', opclass: 'text_pattern_ops' }], include: ['id'] },
    })
    // touched: this index's own choice
    select(w, 'index-columns', ['name'])
    q('[data-testid="index-concurrently"]')!.click()
    await flushPromises()
    expect(switchOn('index-concurrently')).toBe(false)
    q('[data-testid="index-add"]')!.click()
    await flushPromises()
    expect(lastOp()?.index).toEqual({ name: undefined, unique: false, method: 'btree', where: undefined, columns: ['name'], concurrently: false })
    w.unmount()
  })

  it('offers no concurrently switch on a new or a partitioned table, and no order or INCLUDE for gin', async () => {
    let w = await open(IndexPanel, [tbl('t1', [col('a')], { mark: 'created' })], true)
    expect(q('[data-testid="index-concurrently"]')).toBeNull()
    select(w, 'index-method', 'gin')
    q('[data-testid="index-add-key"]')!.click()
    await flushPromises()
    expect(q('[data-testid="index-key-order"]')).toBeNull()
    expect(q('[data-testid="index-include"]')).toBeNull()
    w.unmount()
    document.body.innerHTML = ''
    w = await open(IndexPanel, [tbl('events', [col('at')], { partitioned: true, partitionKey: 'RANGE (at)' })], true)
    expect(q('[data-testid="index-concurrently"]')).toBeNull()
    expect(q('[data-testid="schemaedit-indexes"]')?.textContent).toContain('PostgreSQL cannot build it concurrently')
    w.unmount()
  })
})

describe('ConstraintPanel', () => {
  it('stages a deferrable, initially deferred foreign key added NOT VALID then validated', async () => {
    const customers = tbl('customers', [col('id', { type: 'bigint', primaryKey: true })])
    const w = await open(ConstraintPanel, [tbl('orders', [col('customer_id', { type: 'bigint' })]), customers])
    expect(switchOn('constraint-not-valid-first')).toBe(false) // not production: Online off
    select(w, 'constraint-columns', ['customer_id'])
    select(w, 'constraint-ref-table', 'public.customers')
    await flushPromises()
    q('[data-testid="constraint-initially-deferred"]')!.click()
    q('[data-testid="constraint-not-valid-first"]')!.click()
    await flushPromises()
    q('[data-testid="constraint-add"]')!.click()
    await flushPromises()
    expect(lastOp()).toEqual({
      op: 'add_constraint', schema: 'public', table: 'orders',
      constraint: { type: 'foreign_key', name: undefined, columns: ['customer_id'], ref_schema: 'public', ref_table: 'customers', on_delete: 'no_action', on_update: 'no_action', deferrable: true, initially_deferred: true, not_valid_first: true },
    })
    w.unmount()
  })

  it('a table without a primary key gets a deferrable one, with no NOT VALID switch', async () => {
    const w = await open(ConstraintPanel, [tbl('t', [col('id', { type: 'bigint', notNull: true })])])
    select(w, 'constraint-kind', 'primary_key')
    select(w, 'constraint-columns', ['id'])
    await flushPromises()
    expect(q('[data-testid="constraint-not-valid-first"]')).toBeNull()
    q('[data-testid="constraint-deferrable"]')!.click()
    await flushPromises()
    q('[data-testid="constraint-add"]')!.click()
    await flushPromises()
    expect(lastOp()).toEqual({ op: 'add_constraint', schema: 'public', table: 't', constraint: { type: 'primary_key', name: undefined, columns: ['id'], deferrable: true } })
    w.unmount()
  })

  it('a check cannot be deferrable, and a new table has no NOT VALID switch', async () => {
    const w = await open(ConstraintPanel, [tbl('t1', [col('a')], { mark: 'created' })])
    select(w, 'constraint-kind', 'check')
    await flushPromises()
    expect(q('[data-testid="constraint-deferrable"]')).toBeNull()
    expect(q('[data-testid="constraint-not-valid-first"]')).toBeNull()
    w.unmount()
  })
})

describe('ColumnGrid', () => {
  it('stages a collation change on an existing column; only a new column takes a generated expression', async () => {
    const w = await open(ColumnGrid, [tbl('t', [col('code', { collation: '' }), col('twice', { mark: 'created', type: 'integer' })])])
    expect((q('[data-testid="schemaedit-col-code"] [data-testid="col-generated"] input') as HTMLInputElement).disabled).toBe(true)
    type('[data-testid="schemaedit-col-code"] [data-testid="col-collation"]', 'C')
    q('[data-testid="schemaedit-col-code"] [data-testid="col-collation"] input')!.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(lastOp()).toEqual({ op: 'alter_column', schema: 'public', table: 't', name: 'code', set: { collation: 'C' } })
    type('[data-testid="schemaedit-col-twice"] [data-testid="col-generated"]', 'a * 2')
    q('[data-testid="schemaedit-col-twice"] [data-testid="col-generated"] input')!.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(lastOp()).toEqual({ op: 'alter_column', schema: 'public', table: 't', name: 'twice', set: { generated: 'a * 2' } })
    w.unmount()
  })

  it('shows stored collations as typed and sends only what changed', () => {
    expect(collationLabel('pg_catalog."C"')).toBe('C')
    expect(collationLabel('public.german')).toBe('public.german')
    const before = col('code', { collation: 'pg_catalog."C"' })
    const t = tbl('t', [before])
    expect(columnOps(t, before, columnFields(before))).toEqual([])
    expect(columnOps(t, before, { ...columnFields(before), collation: '' })).toEqual([{ op: 'alter_column', schema: 'public', table: 't', name: 'code', set: { collation: '' } }])
  })
})

describe('TableEditor', () => {
  it('sets an existing table UNLOGGED and partitions a new table', async () => {
    let w = await open(TableEditor, [tbl('settings', [col('key')])])
    expect(q('[data-testid="schemaedit-partition"]')).toBeNull() // an existing table cannot be partitioned
    q('[data-testid="schemaedit-table-unlogged"]')!.click()
    await flushPromises()
    expect(lastOp()).toEqual({ op: 'set_unlogged', schema: 'public', table: 'settings', unlogged: true })
    w.unmount()
    document.body.innerHTML = ''
    w = await open(TableEditor, [tbl('events', [col('id', { type: 'bigint' }), col('at', { type: 'date' })], { mark: 'created' })])
    select(w, 'schemaedit-partition-method', 'list')
    select(w, 'schemaedit-partition-columns', ['at'])
    await flushPromises()
    q('[data-testid="schemaedit-partition"]')!.click()
    await flushPromises()
    expect(lastOp()).toEqual({ op: 'partition_table', schema: 'public', table: 'events', partition_by: { method: 'list', columns: ['at'] } })
    w.unmount()
  })

  it('shows a partitioned table\'s key instead of the UNLOGGED switch', async () => {
    const w = await open(TableEditor, [tbl('events', [col('at')], { partitioned: true, partitionKey: 'RANGE (at)' })])
    expect(q('[data-testid="schemaedit-table-partition-key"]')?.textContent).toBe('PARTITION BY RANGE (at)')
    expect(q('[data-testid="schemaedit-table-unlogged"]')).toBeNull()
    w.unmount()
  })
})
