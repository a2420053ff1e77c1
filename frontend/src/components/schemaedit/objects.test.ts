import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { h, defineComponent } from 'vue'
import { EditorView } from '@codemirror/view'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  openSchemaEditor: vi.fn(),
  applyEdit: vi.fn(),
  undoEdit: vi.fn(),
  redoEdit: vi.fn(),
  discardEdits: vi.fn(),
  previewEdits: vi.fn(),
  closeSchemaEditor: vi.fn(),
}))

import * as api from '../../api'
import { ApiError } from '../../api'
import type { EditorState, EditSchema, EditSequence, EditTable, EditView } from '../../api'
import SchemaEditorModal from './SchemaEditorModal.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { completionOf, sequenceChange, sequenceFields, viewTemplate } from '../../stores/schemaeditObjects'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel) as HTMLElement | null

const tbl: EditTable = {
  schema: 'public', name: 'orders', key: 'table:public.orders', mark: '', comment: null, partitioned: false, droppedColumns: [],
  columns: [
    { name: 'id', key: 'column:public.orders.id', mark: '', type: 'bigint', default: null, notNull: true, identity: '', generated: '', comment: null, primaryKey: true, foreignKey: false },
    { name: 'total', key: 'column:public.orders.total', mark: '', type: 'numeric', default: null, notNull: false, identity: '', generated: '', comment: null, primaryKey: false, foreignKey: false },
  ],
  indexes: [{ name: 'orders_pkey', key: 'index:public.orders_pkey', mark: '', definition: '', columns: ['id'], unique: true, method: 'btree', constraint: 'orders_pkey', comment: null }],
  constraints: [{ name: 'orders_pkey', key: 'constraint:public.orders.orders_pkey', mark: '', type: 'primary_key', definition: 'PRIMARY KEY (id)', columns: ['id'], refTable: '', refColumns: [], comment: 'the key' }],
}
const view = (name: string, extra: Partial<EditView> = {}): EditView => ({
  schema: 'public', name, key: `view:public.${name}`, mark: '', materialized: false, definition: ' SELECT orders.id\n   FROM public.orders', comment: null, columns: ['id'], ...extra,
})
const seq = (name: string, extra: Partial<EditSequence> = {}): EditSequence => ({
  schema: 'public', name, key: `sequence:public.${name}`, mark: '', dataType: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false, comment: null, ownedBy: '', ...extra,
})
function stateOf(schema: Partial<EditSchema>, ops = 0, problems: EditorState['problems'] = []): EditorState {
  return {
    sessionId: 'edit-1', databaseId: 'd1', databaseName: 'shop', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', production: false,
    model: {
      schemas: [{ name: 'public', key: 'schema:public', mark: '', tables: [tbl], dropped: [], comment: null, views: [], sequences: [], types: [], droppedViews: [], droppedSequences: [], ...schema }],
      types: [], suggestions: ['bigint'], canUndo: ops > 0, canRedo: false, ops,
    },
    problems,
  }
}
function mountEditor() {
  const Host = defineComponent({ setup: () => () => h(SchemaEditorModal, { show: true, databaseId: 'd1' }) })
  return mountWithProviders(Host)
}
function typeInto(testid: string, value: string, key = 'Enter') {
  const input = q(`[data-testid="${testid}"] input`) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true }))
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  mocked.closeSchemaEditor.mockResolvedValue(undefined)
})

describe('schema editor: views, sequences, comments', () => {
  it('the tree lists views, materialized views and sequences with their marks, and the dropped ones', async () => {
    mocked.openSchemaEditor.mockResolvedValue(
      stateOf({ views: [view('big', { mark: 'changed' }), view('totals', { materialized: true, mark: 'created' })], sequences: [seq('counter')], droppedViews: ['old_v'], droppedSequences: ['old_s'] }, 3, [
        { op: 0, object: 'view:public.big', field: 'definition', message: 'view public.big no longer compiles: it uses column total of public.orders, which no longer exists (dropped or renamed); change the view\'s definition or keep the column' },
      ]),
    )
    const w = mountEditor()
    await flushPromises()
    expect(q('[data-testid="schemaedit-view-node-public.big"] [data-testid="edit-mark"]')?.textContent).toBe('changed')
    expect(q('[data-testid="schemaedit-view-node-public.big"] .bad')).not.toBeNull()
    expect(q('[data-testid="schemaedit-view-node-public.totals"]')?.textContent).toContain('mat.')
    expect(q('[data-testid="schemaedit-sequence-node-public.counter"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-dropped-view-public.old_v"]')?.textContent).toContain('dropped')
    expect(q('[data-testid="schemaedit-dropped-sequence-public.old_s"]')?.textContent).toContain('dropped')
    q('[data-testid="schemaedit-view-node-public.big"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-view-editor"] [data-testid="edit-problem"]')?.textContent).toContain('no longer compiles')
    w.unmount()
  })

  it('the view editor shows the definition in CodeMirror, applies a change as alter_view and shows a refusal', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf({ views: [view('big')] }))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-view-node-public.big"]')!.click()
    await flushPromises()
    const host = q('[data-testid="schemaedit-view-definition"]')!
    expect(host.querySelector('.cm-content')?.textContent).toContain('FROM public.orders')
    expect((q('[data-testid="schemaedit-view-apply"]') as HTMLButtonElement).disabled).toBe(true)
    const cm = EditorView.findFromDOM(host)!
    cm.dispatch({ changes: { from: 0, to: cm.state.doc.length, insert: 'SELECT id FORM orders' } })
    await flushPromises()
    mocked.applyEdit.mockRejectedValueOnce(new ApiError({ message: 'the view\'s definition is not valid SQL: syntax error at or near "orders" (line 1, column 16)', field: 'definition' }))
    q('[data-testid="schemaedit-view-apply"]')!.click()
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'alter_view', schema: 'public', name: 'big', view: { definition: 'SELECT id FORM orders' } })
    expect(q('[data-testid="schemaedit-error"]')?.textContent).toContain('not valid SQL')
    expect(cm.state.doc.toString()).toBe('SELECT id FORM orders') // kept for fixing
    mocked.applyEdit.mockResolvedValueOnce(stateOf({ views: [view('big', { mark: 'changed', definition: 'SELECT id, total FROM public.orders', columns: ['id', 'total'] })] }, 1))
    cm.dispatch({ changes: { from: 0, to: cm.state.doc.length, insert: 'SELECT id, total FROM orders' } })
    q('[data-testid="schemaedit-view-apply"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-view-columns"]')?.textContent).toContain('id, total')
    expect(q('[data-testid="schemaedit-view-editor"] [data-testid="edit-mark"]')?.textContent).toBe('changed')
    w.unmount()
  })

  it('a view option is staged alone (the query stays); a materialized view offers WITH NO DATA only', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf({ views: [view('big'), view('totals', { materialized: true })] }))
    mocked.applyEdit.mockResolvedValue(stateOf({ views: [view('big', { securityBarrier: true, mark: 'changed' }), view('totals', { materialized: true })] }, 1))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-view-node-public.big"]')!.click()
    await flushPromises()
    q('[data-testid="schemaedit-view-security-barrier"]')!.click()
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'alter_view', schema: 'public', name: 'big', view: { definition: '', security_barrier: true } })
    expect(q('[data-testid="schemaedit-view-no-data"]')).toBeNull()
    q('[data-testid="schemaedit-view-node-public.totals"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-view-security-barrier"]')).toBeNull()
    expect(q('[data-testid="schemaedit-view-no-data"]')).not.toBeNull()
    w.unmount()
  })

  it('+ View creates a view with a starter query and opens it; its comment is a comment op', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf({}))
    mocked.applyEdit.mockResolvedValueOnce(stateOf({ views: [view('v1', { mark: 'created', definition: 'SELECT id, total\nFROM public.orders' })] }, 1))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-add-view-public"]')!.click()
    await flushPromises()
    q('[data-testid="schemaedit-new-object-create"]')!.click()
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'create_view', schema: 'public', name: 'v1', view: { definition: 'SELECT id, total\nFROM public.orders', materialized: false } })
    expect(q('[data-testid="schemaedit-view-editor"]')).not.toBeNull()
    mocked.applyEdit.mockResolvedValueOnce(stateOf({ views: [view('v1', { mark: 'created', comment: 'recent orders' })] }, 2))
    typeInto('schemaedit-view-comment', 'recent orders')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'view', schema: 'public', name: 'v1', comment: 'recent orders' })
    w.unmount()
  })

  it('the sequence panel saves only what changed, as strings, and refuses a value that is not a whole number', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf({ sequences: [seq('counter')] }))
    mocked.applyEdit.mockResolvedValue(stateOf({ sequences: [seq('counter', { increment: '5', mark: 'changed' })] }, 1))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-sequence-node-public.counter"]')!.click()
    await flushPromises()
    expect((q('[data-testid="schemaedit-sequence-max"] input') as HTMLInputElement).value).toBe('9223372036854775807')
    typeInto('schemaedit-sequence-increment', 'five', 'x')
    await flushPromises()
    expect(q('[data-testid="schemaedit-sequence-invalid"]')?.textContent).toContain('Increment: a whole number is needed')
    expect((q('[data-testid="schemaedit-sequence-save"]') as HTMLButtonElement).disabled).toBe(true)
    typeInto('schemaedit-sequence-increment', '5', 'x')
    await flushPromises()
    q('[data-testid="schemaedit-sequence-save"]')!.click()
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'alter_sequence', schema: 'public', name: 'counter', sequence: { increment: '5' } })
    expect(q('[data-testid="schemaedit-sequence"] [data-testid="edit-mark"]')?.textContent).toBe('changed')
    w.unmount()
  })

  it('renaming a sequence stages rename_sequence and keeps it selected; an owned one cannot be dropped here', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf({ sequences: [seq('counter'), seq('orders_id_seq', { ownedBy: 'orders.id' })] }))
    mocked.applyEdit.mockResolvedValue(stateOf({ sequences: [seq('ticket', { mark: 'changed' }), seq('orders_id_seq', { ownedBy: 'orders.id' })] }, 1))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-sequence-node-public.counter"]')!.click()
    await flushPromises()
    typeInto('schemaedit-sequence-name', 'ticket')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'rename_sequence', schema: 'public', name: 'counter', to: 'ticket' })
    expect((q('[data-testid="schemaedit-sequence-name"] input') as HTMLInputElement).value).toBe('ticket')
    q('[data-testid="schemaedit-sequence-node-public.orders_id_seq"]')!.click()
    await flushPromises()
    expect((q('[data-testid="schemaedit-drop-sequence"]') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
  })

  it('the schema panel comments on the schema, its types, functions, indexes and constraints', async () => {
    const mood = { name: 'mood', key: 'type:public.mood', mark: '' as const, kind: 'enum', labels: ['ok', 'bad'], comment: null }
    const raise = { name: 'give_raise', args: 'p_emp_no integer', kind: 'function', result: 'void', key: 'function:public.give_raise(p_emp_no integer)', mark: '' as const, comment: null }
    mocked.openSchemaEditor.mockResolvedValue(stateOf({ types: [mood], functions: [raise] }))
    mocked.applyEdit.mockResolvedValue(stateOf({ types: [{ ...mood, comment: 'how it went', mark: 'changed' }], functions: [raise] }, 1))
    const w = mountEditor()
    await flushPromises()
    q('[data-testid="schemaedit-schema-open-public"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-type-mood"]')?.textContent).toContain('enum (ok, bad)')
    typeInto('schemaedit-type-comment-mood', 'how it went')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'type', schema: 'public', name: 'mood', comment: 'how it went' })
    typeInto('schemaedit-function-comment-give_raise(p_emp_no integer)', 'raises a salary')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'function', schema: 'public', name: 'give_raise', args: 'p_emp_no integer', comment: 'raises a salary' })
    typeInto('schemaedit-schema-comment', 'the main schema')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'schema', name: 'public', comment: 'the main schema' })
    ;(q('[data-testid="schemaedit-schema-panel"] .n-collapse-item__header-main') ?? q('[data-testid="schemaedit-schema-panel"] .n-collapse-item__header'))!.click()
    await flushPromises()
    expect((q('[data-testid="schemaedit-constraint-comment-orders_pkey"] input') as HTMLInputElement).value).toBe('the key')
    typeInto('schemaedit-constraint-comment-orders_pkey', '')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'constraint', schema: 'public', table: 'orders', name: 'orders_pkey', comment: null })
    typeInto('schemaedit-index-comment-orders_pkey', 'by id')
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'comment', kind: 'index', schema: 'public', name: 'orders_pkey', comment: 'by id' })
    w.unmount()
  })
})

describe('schemaeditObjects helpers', () => {
  it('sequenceChange sends only the changed fields; nothing when unchanged', () => {
    const q1 = seq('s')
    expect(sequenceChange(q1, sequenceFields(q1))).toBeNull()
    expect(sequenceChange(q1, { ...sequenceFields(q1), dataType: 'integer', cycle: true, max: ' 1000 ' })).toEqual({ data_type: 'integer', cycle: true, max: '1000' })
  })

  it('completionOf lists tables and views with their columns; viewTemplate starts from the first table', () => {
    const sc: EditSchema = {
      name: 'public', key: 'schema:public', mark: '', tables: [tbl], dropped: [], views: [view('v', { materialized: true })],
      functions: [
        { name: 'tenure', args: 'p integer', kind: 'function', result: 'interval', key: 'function:public.tenure(p integer)', mark: '', comment: null },
        { name: 'archive', args: '', kind: 'procedure', result: '', key: 'function:public.archive()', mark: '', comment: null },
      ],
    }
    const c = completionOf({ schemas: [sc], types: [], suggestions: [], canUndo: false, canRedo: false, ops: 0 })
    expect(c.schemas[0]!.tables.map((t) => [t.name, t.kind, t.columns.map((x) => x.name).join(',')])).toEqual([
      ['orders', 'table', 'id,total'],
      ['v', 'materialized view', 'id'],
    ])
    expect(c.schemas[0]!.functions).toEqual([{ name: 'tenure', args: 'p integer', returns: 'interval' }])
    expect(viewTemplate(sc)).toBe('SELECT id, total\nFROM public.orders')
    expect(viewTemplate(null)).toBe('SELECT 1 AS one')
  })
})
