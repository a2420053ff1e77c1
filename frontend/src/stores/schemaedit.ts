import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { ApiError, EditColumn, EditColumnChange, EditOp, EditorState, EditPreview, EditProblem, EditTable } from '../api'
import { completionOf, type EditObjectRef, viewTemplate } from './schemaeditObjects'

/** The grid's editable fields of a column. */
export interface ColumnFields {
  name: string
  type: string
  /** '' is no default */
  default: string
  notNull: boolean
  /** '' is no comment */
  comment: string
  primaryKey: boolean
  /** '' is the type's default; shown bare ("C") */
  collation?: string
  /** '' is not generated */
  generated?: string
}

/** collationLabel shows a stored collation (pg_catalog."C") as a user types it (C). */
export function collationLabel(stored: string | undefined): string {
  const bare = (stored ?? '').replace(/^pg_catalog\./, '')
  return /^"[^"]*"$/.test(bare) ? bare.slice(1, -1).replace(/""/g, '"') : bare
}

export function columnFields(c: EditColumn): ColumnFields {
  return {
    name: c.name,
    type: c.type,
    default: c.default ?? '',
    notNull: c.notNull,
    comment: c.comment ?? '',
    primaryKey: c.primaryKey,
    collation: collationLabel(c.collation),
    generated: c.generated ?? '',
  }
}

/**
 * columnOps turns one edit of a grid row into the editor's operations: a new name is a
 * rename_column (a rename, never drop-and-add), type, default, NOT NULL, comment, collation and generated expression one
 * alter_column, and primary key membership a drop and re-add of the table's primary key.
 */
export function columnOps(t: EditTable, before: EditColumn, after: ColumnFields): EditOp[] {
  const ops: EditOp[] = []
  const loc = { schema: t.schema, table: t.name }
  const name = after.name.trim()
  if (name !== before.name) ops.push({ op: 'rename_column', ...loc, name: before.name, to: name })
  const set: EditColumnChange = {}
  if (after.type.trim() !== before.type) set.type = after.type.trim()
  const def = after.default.trim()
  if (def !== (before.default ?? '')) {
    if (def === '') set.drop_default = true
    else set.default = def
  }
  if (after.notNull !== before.notNull) set.not_null = after.notNull
  const coll = (after.collation ?? '').trim()
  if (after.collation !== undefined && coll !== collationLabel(before.collation)) set.collation = coll
  const gen = (after.generated ?? '').trim()
  if (after.generated !== undefined && gen !== (before.generated ?? '')) set.generated = gen
  if (after.comment !== (before.comment ?? '')) {
    if (after.comment === '') set.drop_comment = true
    else set.comment = after.comment
  }
  // a primary key column is NOT NULL (PostgreSQL makes it so): set it in the same step
  if (after.primaryKey && !before.primaryKey && !before.notNull) set.not_null = true
  if (Object.keys(set).length) ops.push({ op: 'alter_column', ...loc, name, set })
  if (after.primaryKey !== before.primaryKey) {
    const pk = t.constraints.find((c) => c.type === 'primary_key')
    const cols = (pk?.columns ?? []).map((c) => (c === before.name ? name : c)).filter((c) => c !== name)
    if (after.primaryKey) cols.push(name)
    if (pk) ops.push({ op: 'drop_constraint', ...loc, name: pk.name })
    if (cols.length) ops.push({ op: 'add_constraint', ...loc, constraint: { type: 'primary_key', columns: cols } })
  }
  return ops
}

/** freeName returns base, or the next free number after it (t1, t2, …; name, name2, …). */
export function freeName(base: string, taken: string[]): string {
  const set = new Set(taken)
  if (!set.has(base)) return base
  const m = /^(.*?)(\d+)$/.exec(base)
  const stem = m ? m[1] : base
  for (let i = m ? Number(m[2]) + 1 : 2; ; i++) if (!set.has(`${stem}${i}`)) return `${stem}${i}`
}

/** problemsOf returns the problems of an object (by mark key) and of what lies under it. */
export function problemsOf(problems: EditProblem[], key: string): EditProblem[] {
  return problems.filter((p) => p.object === key || p.object.startsWith(`${key}.`))
}

/** problemsOfTable returns the problems of a table, its columns, constraints and indexes. */
export function problemsOfTable(problems: EditProblem[], t: EditTable): EditProblem[] {
  const q = t.key.replace(/^table:/, '')
  const keys = new Set([t.key, ...t.indexes.map((x) => x.key)])
  return problems.filter((p) => keys.has(p.object) || p.object.startsWith(`column:${q}.`) || p.object.startsWith(`constraint:${q}.`))
}

/** tableId names a table in the editor: "schema.table" (unquoted). */
export const tableId = (schema: string, name: string) => `${schema}.${name}`

/**
 * The schema editor of one database: an editing session in Go (internal/schemaedit over a
 * copy of the latest snapshot), the selected table, the last refused edit and the preview.
 * Every change goes through Go and the store keeps what Go answers; the preview follows the
 * edits while it is shown.
 */
export const useSchemaEditStore = defineStore('schemaedit', () => {
  const state = ref<EditorState | null>(null)
  const opening = ref(false)
  const busy = ref(false)
  /** the last refused edit or failed call */
  const error = ref<ApiError | null>(null)
  const selected = ref('')
  const preview = ref<EditPreview | null>(null)
  const previewShown = ref(false)
  const previewing = ref(false)
  const previewError = ref<ApiError | null>(null)
  const online = ref(false)
  /** counts requests so that a late answer for a closed session is dropped */
  let generation = 0
  let previewGeneration = 0

  const model = computed(() => state.value?.model ?? null)
  const tables = computed(() => (model.value?.schemas ?? []).flatMap((s) => s.tables))
  const table = computed(() => tables.value.find((t) => tableId(t.schema, t.name) === selected.value) ?? null)
  const problems = computed(() => state.value?.problems ?? [])
  const typeOptions = computed(() => [...(model.value?.suggestions ?? []), ...(model.value?.types ?? [])])
  const dirty = computed(() => (model.value?.ops ?? 0) > 0)
  /** proposable: the session can differ from the database (edits staged, or a design opened) */
  const proposable = computed(() => dirty.value || !!state.value?.design)

  /** open starts an editing session on the database, selecting table focus (schema.table) when it exists, else the first table. */
  async function open(databaseId: string, focus?: string) {
    void close()
    const mine = ++generation
    opening.value = true
    error.value = null
    try {
      const st = await api.openSchemaEditor(databaseId)
      if (mine !== generation) {
        void api.closeSchemaEditor(st.sessionId).catch(() => {})
        return
      }
      state.value = st
      online.value = st.production
      const all = st.model.schemas.flatMap((s) => s.tables)
      const first = all.find((t) => focus && `${t.schema}.${t.name}` === focus) ?? all[0]
      selected.value = first ? tableId(first.schema, first.name) : ''
    } catch (e) {
      if (mine === generation) error.value = api.toApiError(e)
    } finally {
      if (mine === generation) opening.value = false
    }
  }

  async function close() {
    const id = state.value?.sessionId
    generation++
    state.value = null
    preview.value = null
    previewShown.value = false
    previewError.value = null
    selected.value = ''
    selectedObject.value = null
    error.value = null
    opening.value = false
    if (id) await api.closeSchemaEditor(id).catch(() => {})
  }

  /** run calls Go with the session and keeps its answer; false when refused (error set). */
  async function run(fn: (session: string) => Promise<EditorState>): Promise<boolean> {
    const st = state.value
    if (!st) return false
    const mine = generation
    busy.value = true
    try {
      const next = await fn(st.sessionId)
      if (mine !== generation) return false
      state.value = next
      error.value = null
      if (selected.value && !table.value) selected.value = ''
      if (previewShown.value) void refreshPreview()
      return true
    } catch (e) {
      if (mine === generation) error.value = api.toApiError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  /**
   * apply stages operations in order, as one step for the user: when one is refused, the
   * ones before it are taken back, so nothing of the step stays.
   */
  async function apply(...ops: EditOp[]): Promise<boolean> {
    let done = 0
    for (const op of ops) {
      if (!(await run((id) => api.applyEdit(id, op)))) {
        const refused = error.value
        for (; done > 0; done--) await run((id) => api.undoEdit(id))
        error.value = refused
        return false
      }
      done++
    }
    return true
  }

  const undo = () => run((id) => api.undoEdit(id))
  const redo = () => run((id) => api.redoEdit(id))
  const discard = () => run((id) => api.discardEdits(id))

  function select(schema: string, name: string) {
    selected.value = tableId(schema, name)
    selectedObject.value = null
  }

  // Views, sequences and schemas (schemaeditObjects.ts): the selected one replaces the table.
  const selectedObject = ref<EditObjectRef | null>(null)
  const schemaOf = (name: string) => (model.value?.schemas ?? []).find((s) => s.name === name) ?? null
  const selectedView = computed(() => {
    const o = selectedObject.value
    return o?.kind === 'view' ? ((schemaOf(o.schema)?.views ?? []).find((v) => v.name === o.name) ?? null) : null
  })
  const selectedSequence = computed(() => {
    const o = selectedObject.value
    return o?.kind === 'sequence' ? ((schemaOf(o.schema)?.sequences ?? []).find((q) => q.name === o.name) ?? null) : null
  })
  const selectedSchema = computed(() => (selectedObject.value?.kind === 'schema' ? schemaOf(selectedObject.value.schema) : null))
  /** completion is the edited model as the SQL editor's completion catalog (tables and views with their columns). */
  const completion = computed(() => completionOf(model.value))

  function selectObject(o: EditObjectRef) {
    selected.value = ''
    selectedObject.value = o
  }

  /** addView creates a view (or materialized view) `name` with a starter query and selects it. */
  async function addView(schema: string, name: string, materialized = false, definition?: string): Promise<boolean> {
    const n = name.trim()
    const sc = schemaOf(schema)
    const ok = await apply({ op: 'create_view', schema, name: n, view: { definition: definition ?? viewTemplate(sc), materialized } })
    if (ok) selectObject({ kind: 'view', schema, name: n })
    return ok
  }

  /** addSequence creates a sequence with PostgreSQL's defaults and selects it. */
  async function addSequence(schema: string, name: string): Promise<boolean> {
    const n = name.trim()
    const ok = await apply({ op: 'create_sequence', schema, name: n })
    if (ok) selectObject({ kind: 'sequence', schema, name: n })
    return ok
  }

  /** renameObject renames the selected view or sequence and keeps it selected. */
  async function renameObject(to: string): Promise<boolean> {
    const o = selectedObject.value
    const n = to.trim()
    if (!o || (o.kind !== 'view' && o.kind !== 'sequence') || !n || n === o.name) return true
    const ok = await apply({ op: o.kind === 'view' ? 'rename_view' : 'rename_sequence', schema: o.schema, name: o.name, to: n })
    if (ok) selectObject({ ...o, name: n })
    return ok
  }

  /** dropObject drops the selected view or sequence (undo brings it back). */
  async function dropObject(): Promise<boolean> {
    const o = selectedObject.value
    if (!o || (o.kind !== 'view' && o.kind !== 'sequence')) return false
    const ok = await apply({ op: o.kind === 'view' ? 'drop_view' : 'drop_sequence', schema: o.schema, name: o.name })
    if (ok) selectedObject.value = null
    return ok
  }

  /** comment sets ('' removes) the comment of any object through the generic comment op. */
  function comment(target: Pick<EditOp, 'kind' | 'schema' | 'table' | 'name' | 'args'>, text: string): Promise<boolean> {
    return apply({ op: 'comment', ...target, comment: text === '' ? null : text })
  }

  /** addTable creates table `name` (default t1, t2, …) with a bigint id primary key and selects it. */
  async function addTable(schema: string, name?: string): Promise<boolean> {
    const taken = tables.value.filter((t) => t.schema === schema).map((t) => t.name)
    const n = (name ?? '').trim() || freeName('t1', taken)
    const ok = await apply({ op: 'create_table', schema, table: n, columns: [{ name: 'id', type: 'bigint' }], primary_key: ['id'] })
    if (ok) select(schema, n)
    return ok
  }

  /** addColumn appends a column (default name, text) to the selected table. */
  async function addColumn(name?: string, type = 'text'): Promise<boolean> {
    const t = table.value
    if (!t) return false
    const n = (name ?? '').trim() || freeName('new_column', [...t.columns.map((c) => c.name), ...t.droppedColumns])
    return apply({ op: 'add_column', schema: t.schema, table: t.name, column: { name: n, type } })
  }

  /** editColumn applies one grid row's edit (nothing when unchanged). */
  async function editColumn(before: EditColumn, after: ColumnFields): Promise<boolean> {
    const t = table.value
    if (!t) return false
    const ops = columnOps(t, before, after)
    return ops.length ? apply(...ops) : true
  }

  async function renameTable(to: string): Promise<boolean> {
    const t = table.value
    if (!t || !to.trim() || to.trim() === t.name) return true
    const ok = await apply({ op: 'rename_table', schema: t.schema, table: t.name, to: to.trim() })
    if (ok) select(t.schema, to.trim())
    return ok
  }

  async function refreshPreview() {
    const st = state.value
    if (!st) return
    const mine = ++previewGeneration
    previewing.value = true
    try {
      const p = await api.previewEdits(st.sessionId, online.value)
      if (mine !== previewGeneration) return
      preview.value = p
      previewError.value = null
    } catch (e) {
      if (mine === previewGeneration) previewError.value = api.toApiError(e)
    } finally {
      if (mine === previewGeneration) previewing.value = false
    }
  }

  async function showPreview(on = true) {
    previewShown.value = on
    if (on) await refreshPreview()
  }

  async function setOnline(v: boolean) {
    online.value = v
    if (previewShown.value) await refreshPreview()
  }

  /** openDesign asks for a design file (.sql or .json) and opens it for the session's database in place of the session; the file's name, or '' when cancelled or refused (error set, the session kept). */
  async function openDesign(source?: api.DesignSource): Promise<string> {
    const st = state.value
    if (!st) return ''
    let src = source
    try {
      if (!src) {
        const path = await api.chooseDesignFile()
        if (!path) return ''
        src = { kind: 'file', path }
      }
      const mine = ++generation
      opening.value = true
      const next = await api.openDesign(st.databaseId, src)
      if (mine !== generation) {
        void api.closeSchemaEditor(next.sessionId).catch(() => {})
        return ''
      }
      void api.closeSchemaEditor(st.sessionId).catch(() => {})
      state.value = next
      online.value = next.production
      preview.value = null
      previewError.value = null
      selectedObject.value = null
      const first = next.model.schemas.flatMap((s) => s.tables)[0]
      selected.value = first ? tableId(first.schema, first.name) : ''
      error.value = null
      if (previewShown.value) void refreshPreview()
      return next.design ?? ''
    } catch (e) {
      error.value = api.toApiError(e)
      return ''
    } finally {
      opening.value = false
    }
  }

  /** saveDesign asks for a .sql file and writes the edited model to it; the path, or '' when cancelled or failed. */
  async function saveDesign(): Promise<string> {
    const st = state.value
    if (!st) return ''
    try {
      const path = await api.chooseDesignPath(st.sessionId)
      if (!path) return ''
      await api.saveDesign(st.sessionId, path)
      error.value = null
      return path
    } catch (e) {
      error.value = api.toApiError(e)
      return ''
    }
  }

  /** migration is the previewed SQL when it has statements and no problems, else ''. */
  const migration = computed(() => {
    const p = preview.value
    return p && !p.problems.length && p.statements.length ? p.sql : ''
  })

  return {
    state,
    opening,
    busy,
    error,
    selected,
    preview,
    previewShown,
    previewing,
    previewError,
    online,
    model,
    tables,
    table,
    problems,
    typeOptions,
    dirty,
    proposable,
    migration,
    open,
    close,
    apply,
    undo,
    redo,
    discard,
    select,
    selectedObject,
    selectedView,
    selectedSequence,
    selectedSchema,
    completion,
    selectObject,
    addView,
    addSequence,
    renameObject,
    dropObject,
    comment,
    addTable,
    addColumn,
    editColumn,
    renameTable,
    refreshPreview,
    showPreview,
    setOnline,
    saveDesign,
    openDesign,
  }
})
