import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  openSchemaEditor: vi.fn(),
  applyEdit: vi.fn(),
  undoEdit: vi.fn(),
  redoEdit: vi.fn(),
  discardEdits: vi.fn(),
  previewEdits: vi.fn(),
  closeSchemaEditor: vi.fn(),
  chooseDesignPath: vi.fn(),
  saveDesign: vi.fn(),
  chooseDesignFile: vi.fn(),
  openDesign: vi.fn(),
}))

import * as api from '../api'
import { ApiError, editorState } from '../api'
import type { EditColumn, EditorState, EditPreview, EditTable } from '../api'
import { columnFields, columnOps, freeName, problemsOf, problemsOfTable, useSchemaEditStore } from './schemaedit'

const mocked = vi.mocked(api)

const col = (name: string, extra: Partial<EditColumn> = {}): EditColumn => ({
  name,
  key: `column:public.t.${name}`,
  mark: '',
  type: 'integer',
  default: null,
  notNull: false,
  identity: '',
  generated: '',
  comment: null,
  primaryKey: false,
  foreignKey: false,
  ...extra,
})

const tbl = (name: string, columns: EditColumn[], extra: Partial<EditTable> = {}): EditTable => ({
  schema: 'public',
  name,
  key: `table:public.${name}`,
  mark: '',
  comment: null,
  partitioned: false,
  columns,
  indexes: [],
  constraints: [],
  droppedColumns: [],
  ...extra,
})

const withPk = (cols: string[]) => [{ name: 't_pkey', key: 'constraint:public.t.t_pkey', mark: '' as const, type: 'primary_key', definition: '', columns: cols, refTable: '', refColumns: [] }]

function stateOf(tables: EditTable[], extra: Partial<EditorState['model']> = {}, problems: EditorState['problems'] = []): EditorState {
  return {
    sessionId: 'edit-1',
    databaseId: 'd1',
    databaseName: 'hr_test',
    snapshotId: 's1',
    takenAt: '2026-01-01T00:00:00Z',
    production: false,
    model: { schemas: [{ name: 'public', key: 'schema:public', mark: '', tables, dropped: [] }], types: ['public.mood'], suggestions: ['bigint', 'text'], canUndo: false, canRedo: false, ops: 0, ...extra },
    problems,
  }
}

const plan = (sql: string, extra: Partial<EditPreview> = {}): EditPreview => ({ sql, statements: [{ sql, hazards: [], transactional: true, object: '' }], renames: [], warnings: [], online: false, problems: [], ...extra })

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  mocked.closeSchemaEditor.mockResolvedValue(undefined)
})

describe('columnOps', () => {
  const t = tbl('t', [col('id', { primaryKey: true, notNull: true }), col('a'), col('b', { default: '0', comment: 'x' })], { constraints: withPk(['id']) })

  it('a new name is a rename, never drop and add', () => {
    expect(columnOps(t, t.columns[1]!, { ...columnFields(t.columns[1]!), name: 'a2' })).toEqual([{ op: 'rename_column', schema: 'public', table: 't', name: 'a', to: 'a2' }])
  })
  it('type, default, NOT NULL and comment are one alter_column under the new name', () => {
    const ops = columnOps(t, t.columns[2]!, { name: 'c', type: 'bigint', default: '', notNull: true, comment: '', primaryKey: false })
    expect(ops).toEqual([
      { op: 'rename_column', schema: 'public', table: 't', name: 'b', to: 'c' },
      { op: 'alter_column', schema: 'public', table: 't', name: 'c', set: { type: 'bigint', drop_default: true, not_null: true, drop_comment: true } },
    ])
  })
  it('primary key membership re-creates the key with NOT NULL set', () => {
    expect(columnOps(t, t.columns[1]!, { ...columnFields(t.columns[1]!), primaryKey: true })).toEqual([
      { op: 'alter_column', schema: 'public', table: 't', name: 'a', set: { not_null: true } },
      { op: 'drop_constraint', schema: 'public', table: 't', name: 't_pkey' },
      { op: 'add_constraint', schema: 'public', table: 't', constraint: { type: 'primary_key', columns: ['id', 'a'] } },
    ])
    // leaving the key: the rest stays the key; the last column out drops it
    const t2 = tbl('t', [col('id', { primaryKey: true, notNull: true })], { constraints: withPk(['id']) })
    expect(columnOps(t2, t2.columns[0]!, { ...columnFields(t2.columns[0]!), primaryKey: false })).toEqual([{ op: 'drop_constraint', schema: 'public', table: 't', name: 't_pkey' }])
  })
  it('nothing changed is no operation', () => {
    expect(columnOps(t, t.columns[0]!, columnFields(t.columns[0]!))).toEqual([])
  })
})

describe('helpers', () => {
  it('freeName skips taken names', () => {
    expect(freeName('t1', [])).toBe('t1')
    expect(freeName('t1', ['t1', 't12'])).toBe('t2')
    expect(freeName('new_column', ['new_column', 'new_column2'])).toBe('new_column3')
  })
  it('problems are found by the object and what lies under it', () => {
    const ps = [
      { op: 0, object: 'column:public.t.a', field: 'type', message: 'm1' },
      { op: 1, object: 'constraint:public.t.fk', field: 'columns', message: 'm2' },
      { op: 2, object: 'index:public.t_a', field: 'columns', message: 'm3' },
      { op: 3, object: 'column:public.tt.a', field: 'type', message: 'm4' },
    ]
    expect(problemsOf(ps, 'column:public.t.a').map((p) => p.message)).toEqual(['m1'])
    const t = tbl('t', [col('a')], { indexes: [{ name: 't_a', key: 'index:public.t_a', mark: '', definition: '', columns: ['a'], unique: false, method: 'btree', constraint: '' }] })
    expect(problemsOfTable(ps, t).map((p) => p.message)).toEqual(['m1', 'm2', 'm3'])
  })
  it('editorState turns nulls from Go into arrays', () => {
    const s = editorState({ sessionId: 'x', model: { schemas: [{ name: 'public', tables: [{ name: 't', columns: null, droppedColumns: null }], dropped: null }], types: null }, problems: null })
    expect(s.model.schemas[0]!.tables[0]!.columns).toEqual([])
    expect(s.model.schemas[0]!.dropped).toEqual([])
    expect(s.model.types).toEqual([])
    expect(s.problems).toEqual([])
  })
})

describe('useSchemaEditStore', () => {
  it('opens a session, selects the first table, closes the previous session', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('employees', [col('id')])]))
    const store = useSchemaEditStore()
    await store.open('d1')
    expect(store.selected).toBe('public.employees')
    expect(store.table?.name).toBe('employees')
    expect(store.typeOptions).toEqual(['bigint', 'text', 'public.mood'])
    await store.open('d1')
    expect(mocked.closeSchemaEditor).toHaveBeenCalledWith('edit-1')
  })

  it('an open error keeps the message and SQLSTATE', async () => {
    mocked.openSchemaEditor.mockRejectedValue(new ApiError({ message: 'connection refused', sqlstate: '08006' }))
    const store = useSchemaEditStore()
    await store.open('d1')
    expect(store.state).toBeNull()
    expect(store.error?.sqlstate).toBe('08006')
    expect(store.opening).toBe(false)
  })

  it('adds a table t1 and selects it; add column names it freely', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([]))
    const store = useSchemaEditStore()
    await store.open('d1')
    expect(store.selected).toBe('')
    const t1 = tbl('t1', [col('id', { mark: 'created', primaryKey: true, notNull: true, type: 'bigint' })], { mark: 'created' })
    mocked.applyEdit.mockResolvedValueOnce(stateOf([t1], { canUndo: true, ops: 1 }))
    expect(await store.addTable('public')).toBe(true)
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'create_table', schema: 'public', table: 't1', columns: [{ name: 'id', type: 'bigint' }], primary_key: ['id'] })
    expect(store.selected).toBe('public.t1')
    expect(store.dirty).toBe(true)
    mocked.applyEdit.mockResolvedValueOnce(stateOf([{ ...t1, columns: [...t1.columns, col('new_column', { type: 'text', mark: 'created' })] }], { canUndo: true, ops: 2 }))
    await store.addColumn()
    expect(mocked.applyEdit).toHaveBeenLastCalledWith('edit-1', { op: 'add_column', schema: 'public', table: 't1', column: { name: 'new_column', type: 'text' } })
    expect(store.table?.columns.map((c) => c.name)).toEqual(['id', 'new_column'])
  })

  it('a refused step is taken back whole and its error kept', async () => {
    const t = tbl('t', [col('a')])
    mocked.openSchemaEditor.mockResolvedValue(stateOf([t]))
    const store = useSchemaEditStore()
    await store.open('d1')
    mocked.applyEdit.mockResolvedValueOnce(stateOf([tbl('t', [col('b')])], { canUndo: true, ops: 1 }))
    mocked.applyEdit.mockRejectedValueOnce(new ApiError({ message: 'unknown type "integr"', field: 'type' }))
    mocked.undoEdit.mockResolvedValueOnce(stateOf([t]))
    const ok = await store.editColumn(t.columns[0]!, { ...columnFields(t.columns[0]!), name: 'b', type: 'integr' })
    expect(ok).toBe(false)
    expect(mocked.applyEdit).toHaveBeenCalledTimes(2)
    expect(mocked.undoEdit).toHaveBeenCalledTimes(1)
    expect(store.table?.columns[0]?.name).toBe('a')
    expect(store.error?.message).toBe('unknown type "integr"')
    expect(store.error?.field).toBe('type')
  })

  it('undo, redo and discard keep what Go answers; a dropped selection is cleared', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('t', [col('a')])]))
    const store = useSchemaEditStore()
    await store.open('d1')
    mocked.applyEdit.mockResolvedValueOnce(stateOf([], { canUndo: true, ops: 1 }))
    await store.apply({ op: 'drop_table', schema: 'public', table: 't' })
    expect(store.selected).toBe('')
    mocked.undoEdit.mockResolvedValueOnce(stateOf([tbl('t', [col('a')])], { canRedo: true }))
    await store.undo()
    expect(store.state?.model.canRedo).toBe(true)
    mocked.redoEdit.mockResolvedValueOnce(stateOf([], { canUndo: true, ops: 1 }))
    await store.redo()
    expect(store.tables).toEqual([])
    mocked.discardEdits.mockResolvedValueOnce(stateOf([tbl('t', [col('a')])]))
    await store.discard()
    expect(store.dirty).toBe(false)
  })

  it('the preview follows the edits while shown; problems block the migration', async () => {
    mocked.openSchemaEditor.mockResolvedValue({ ...stateOf([tbl('t', [col('a')])]), production: true })
    const store = useSchemaEditStore()
    await store.open('d1')
    expect(store.online).toBe(true) // production: online by default
    mocked.previewEdits.mockResolvedValueOnce(plan('-- No changes: the schemas are equal.\n', { statements: [] }))
    await store.showPreview(true)
    expect(mocked.previewEdits).toHaveBeenLastCalledWith('edit-1', true)
    expect(store.migration).toBe('')
    const sql = 'ALTER TABLE public.t RENAME COLUMN a TO b;\n'
    mocked.previewEdits.mockResolvedValueOnce(plan(sql))
    mocked.applyEdit.mockResolvedValueOnce(stateOf([tbl('t', [col('b', { mark: 'changed' })])], { canUndo: true, ops: 1 }))
    await store.apply({ op: 'rename_column', schema: 'public', table: 't', name: 'a', to: 'b' })
    await vi.waitFor(() => expect(store.migration).toBe(sql))
    mocked.previewEdits.mockResolvedValueOnce(plan('', { statements: [], problems: [{ op: 1, object: 'constraint:public.t.fk', field: 'columns', message: 'types differ' }] }))
    await store.setOnline(false)
    expect(mocked.previewEdits).toHaveBeenLastCalledWith('edit-1', false)
    expect(store.migration).toBe('')
    mocked.previewEdits.mockRejectedValueOnce(new ApiError({ message: 'boom' }))
    await store.refreshPreview()
    expect(store.previewError?.message).toBe('boom')
  })

  it('saves the edited model to the chosen file; a cancel writes nothing, a failure keeps its message', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([]))
    const store = useSchemaEditStore()
    await store.open('d1')
    mocked.chooseDesignPath.mockResolvedValueOnce('')
    expect(await store.saveDesign()).toBe('')
    expect(mocked.saveDesign).not.toHaveBeenCalled()
    mocked.chooseDesignPath.mockResolvedValueOnce('/tmp/hr.sql')
    mocked.saveDesign.mockResolvedValueOnce(undefined)
    expect(await store.saveDesign()).toBe('/tmp/hr.sql')
    expect(mocked.saveDesign).toHaveBeenCalledWith('edit-1', '/tmp/hr.sql')
    mocked.chooseDesignPath.mockResolvedValueOnce('/nope/hr.sql')
    mocked.saveDesign.mockRejectedValueOnce(new ApiError({ message: 'cannot save the schema to /nope/hr.sql: no such file or directory', field: 'path' }))
    expect(await store.saveDesign()).toBe('')
    expect(store.error?.field).toBe('path')
  })

  it('opens a design for the same database in place of the session; a refused file keeps the session', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([]))
    const store = useSchemaEditStore()
    await store.open('d1')
    mocked.chooseDesignFile.mockResolvedValueOnce('')
    expect(await store.openDesign()).toBe('')
    expect(mocked.openDesign).not.toHaveBeenCalled()
    mocked.chooseDesignFile.mockResolvedValueOnce('/tmp/broken.sql')
    mocked.openDesign.mockRejectedValueOnce(new ApiError({ message: 'broken.sql:2: ERROR: syntax error at or near "TABEL"', sqlstate: '42601', field: 'design' }))
    expect(await store.openDesign()).toBe('')
    expect(store.error?.sqlstate).toBe('42601')
    expect(store.state?.sessionId).toBe('edit-1')
    expect(mocked.closeSchemaEditor).not.toHaveBeenCalled()
    expect(store.proposable).toBe(false)
    mocked.chooseDesignFile.mockResolvedValueOnce('/tmp/hr-design.sql')
    mocked.openDesign.mockResolvedValueOnce({ ...stateOf([tbl('t', [col('id')]), tbl('tags', [col('id')])]), sessionId: 'edit-2', design: 'hr-design.sql' })
    expect(await store.openDesign()).toBe('hr-design.sql')
    expect(mocked.openDesign).toHaveBeenLastCalledWith('d1', { kind: 'file', path: '/tmp/hr-design.sql' })
    expect(mocked.closeSchemaEditor).toHaveBeenCalledWith('edit-1')
    expect(store.state?.sessionId).toBe('edit-2')
    expect(store.error).toBeNull()
    // a design differs from the database before any edit: it can become an issue
    expect(store.dirty).toBe(false)
    expect(store.proposable).toBe(true)
  })

  it('a late open answer after close is dropped and its session closed', async () => {
    let resolve: (s: EditorState) => void = () => {}
    mocked.openSchemaEditor.mockReturnValue(new Promise((r) => (resolve = r)))
    const store = useSchemaEditStore()
    const p = store.open('d1')
    await store.close()
    resolve(stateOf([tbl('t', [col('a')])]))
    await p
    expect(store.state).toBeNull()
    expect(mocked.closeSchemaEditor).toHaveBeenCalledWith('edit-1')
  })
})
