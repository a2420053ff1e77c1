// The schema editor: the facade over SchemaEditService (app/schemaedit.go). Re-exported by api/index.ts.
// A session edits a copy of a database's latest snapshot; every edit is one operation of
// internal/schemaedit (the same JSON `tidemark schema edit --ops` reads).
import * as SchemaEditService from '../../wailsjs/go/app/SchemaEditService'
import { schemaedit } from '../../wailsjs/go/models'
import { call } from './errors'
import type { Advice } from './review'

export type EditMark = 'created' | 'changed' | 'dropped' | ''

export type EditOpKind =
  | 'create_schema'
  | 'rename_schema'
  | 'drop_schema'
  | 'create_table'
  | 'rename_table'
  | 'drop_table'
  | 'restore_table'
  | 'comment_table'
  | 'add_column'
  | 'rename_column'
  | 'drop_column'
  | 'alter_column'
  | 'move_column'
  | 'add_index'
  | 'rename_index'
  | 'drop_index'
  | 'add_constraint'
  | 'rename_constraint'
  | 'drop_constraint'
  | 'drop_view'
  | 'add_enum_value'
  | 'rename_enum_value'
  | 'set_unlogged'
  | 'partition_table'
  | 'create_view'
  | 'alter_view'
  | 'rename_view'
  | 'create_sequence'
  | 'alter_sequence'
  | 'rename_sequence'
  | 'drop_sequence'
  | 'comment'

export interface EditColumnSpec {
  name: string
  type: string
  default?: string
  not_null?: boolean
  identity?: 'always' | 'by_default'
  comment?: string
  /** expression of a GENERATED ALWAYS AS (…) STORED column */
  generated?: string
  /** "C", "POSIX", "en_US.utf8", a schema's own collation; unset: the type's default */
  collation?: string
}

export interface EditColumnChange {
  type?: string
  default?: string
  drop_default?: boolean
  not_null?: boolean
  identity?: 'always' | 'by_default' | 'none'
  comment?: string
  drop_comment?: boolean
  /** '' back to the type's default (a type change) */
  collation?: string
  /** only for a column added in the session; '' removes it */
  generated?: string
}

/** One index key: a column or an expression, with order, NULLS and operator class (btree for order). */
export interface EditIndexKeySpec {
  column?: string
  expression?: string
  order?: 'asc' | 'desc'
  nulls?: 'first' | 'last'
  opclass?: string
}

/** Partitioning of a new table. */
export interface EditPartitionSpec {
  method: 'range' | 'list' | 'hash'
  columns: string[]
}

export interface EditIndexSpec {
  name?: string
  /** plain ascending columns, or keys (not both) */
  columns?: string[]
  keys?: EditIndexKeySpec[]
  unique?: boolean
  method?: string
  where?: string
  include?: string[]
  /** CREATE INDEX CONCURRENTLY on an existing table (unset: follows Online) */
  concurrently?: boolean
}

export interface EditConstraintSpec {
  name?: string
  type: 'primary_key' | 'unique' | 'check' | 'foreign_key'
  columns?: string[]
  check?: string
  ref_schema?: string
  ref_table?: string
  ref_columns?: string[]
  on_delete?: string
  on_update?: string
  deferrable?: boolean
  initially_deferred?: boolean
  /** ADD … NOT VALID then VALIDATE CONSTRAINT (foreign key, check on an existing table; unset: follows Online) */
  not_valid_first?: boolean
}

/** The definition of create_view / alter_view: one query, checked by Go with PostgreSQL's grammar. */
export interface EditViewSpec {
  /** alter_view keeps the current query when it is empty and an option is set */
  definition: string
  materialized?: boolean
  /** a view's options (unset: unchanged); '' is no WITH CHECK OPTION */
  check_option?: '' | 'local' | 'cascaded'
  security_barrier?: boolean
  security_invoker?: boolean
  /** a materialized view's WITH NO DATA (changing it re-creates the view) */
  with_no_data?: boolean
}

/** Sequence properties; values are strings (a JavaScript number cannot hold every bigint). Unset: default / unchanged. */
export interface EditSequenceSpec {
  data_type?: 'smallint' | 'integer' | 'bigint'
  start?: string
  increment?: string
  min?: string
  max?: string
  cache?: string
  cycle?: boolean
}

/** What the comment op comments on. */
export type EditCommentKind = 'schema' | 'table' | 'column' | 'view' | 'materialized_view' | 'sequence' | 'index' | 'constraint' | 'type' | 'function'

/** One staged edit (see docs/schema-editor.md). */
export interface EditOp {
  op: EditOpKind
  schema?: string
  table?: string
  name?: string
  to?: string
  type?: string
  after?: string
  columns?: EditColumnSpec[]
  primary_key?: string[]
  /** create_table: partitioned by; create_table / set_unlogged: UNLOGGED */
  partition_by?: EditPartitionSpec
  unlogged?: boolean
  comment?: string | null
  column?: EditColumnSpec
  set?: EditColumnChange
  index?: EditIndexSpec
  constraint?: EditConstraintSpec
  view?: EditViewSpec
  sequence?: EditSequenceSpec
  kind?: EditCommentKind
  /** identity arguments of the function a comment op names ("k text") */
  args?: string
}

export interface EditColumn {
  name: string
  key: string
  mark: EditMark
  type: string
  default: string | null
  notNull: boolean
  identity: string
  generated: string
  comment: string | null
  primaryKey: boolean
  foreignKey: boolean
  /** schema-qualified (pg_catalog."C"); '' the type's default */
  collation?: string
}

export interface EditIndex {
  name: string
  key: string
  mark: EditMark
  definition: string
  columns: string[]
  unique: boolean
  method: string
  constraint: string
  comment?: string | null
}

export interface EditConstraint {
  name: string
  key: string
  mark: EditMark
  type: string
  definition: string
  columns: string[]
  refTable: string
  refColumns: string[]
  comment?: string | null
}

export interface EditTable {
  schema: string
  name: string
  key: string
  mark: EditMark
  comment: string | null
  partitioned: boolean
  columns: EditColumn[]
  indexes: EditIndex[]
  constraints: EditConstraint[]
  droppedColumns: string[]
  /** a partitioned table's key ("RANGE (at)") */
  partitionKey?: string
  unlogged?: boolean
}

/** A view or materialized view of the edited model. */
export interface EditView {
  schema: string
  name: string
  key: string
  mark: EditMark
  materialized: boolean
  definition: string
  comment: string | null
  columns: string[]
  /** a view's options; withNoData a materialized view's */
  checkOption?: '' | 'local' | 'cascaded'
  securityBarrier?: boolean
  securityInvoker?: boolean
  withNoData?: boolean
}

/** A stand-alone sequence; values are strings (bigints). */
export interface EditSequence {
  schema: string
  name: string
  key: string
  mark: EditMark
  dataType: string
  start: string
  increment: string
  min: string
  max: string
  cache: string
  cycle: boolean
  comment: string | null
  /** "table.column" when a column owns it */
  ownedBy: string
}

/** An enum, domain or composite type of a schema. */
export interface EditType {
  name: string
  key: string
  mark: EditMark
  kind: string
  labels: string[]
  comment: string | null
}

/** A function, procedure or aggregate of a schema (for its comment). */
export interface EditFunction {
  name: string
  /** identity arguments ("k text"): what tells overloads apart */
  args: string
  kind: string
  result: string
  key: string
  mark: EditMark
  comment: string | null
}

export interface EditSchema {
  name: string
  key: string
  mark: EditMark
  tables: EditTable[]
  /** tables dropped in the session (restorable) */
  dropped: string[]
  comment?: string | null
  views?: EditView[]
  sequences?: EditSequence[]
  types?: EditType[]
  /** views and sequences dropped in the session (undo brings them back) */
  droppedViews?: string[]
  droppedSequences?: string[]
  functions?: EditFunction[]
}

export interface EditModel {
  schemas: EditSchema[]
  /** the database's own enums, domains and composite types */
  types: string[]
  suggestions: string[]
  canUndo: boolean
  canRedo: boolean
  ops: number
}

/** A validation problem: the op (by position), the object's mark key, the field, a sentence. */
export interface EditProblem {
  op: number
  object: string
  field: string
  message: string
}

export interface EditorState {
  sessionId: string
  databaseId: string
  databaseName: string
  snapshotId: string
  /** RFC3339, of the snapshot edited */
  takenAt: string
  production: boolean
  /** the design edited (a file or snapshot, previewed against the database's snapshot); '' or unset for the database's own model */
  design?: string
  model: EditModel
  problems: EditProblem[]
}

export interface EditHazard {
  type: string
  message: string
}

export interface EditStatement {
  sql: string
  hazards: EditHazard[]
  transactional: boolean
  object: string
}

export interface EditRename {
  kind: string
  schema?: string
  table?: string
  type?: string
  from: string
  to: string
}

export interface EditPreview {
  sql: string
  statements: EditStatement[]
  renames: EditRename[]
  warnings: string[]
  online: boolean
  /** when set, there is no plan: fix these first */
  problems: EditProblem[]
  /** the migration reviewed under the environment's policy, against the schema it starts from */
  review?: EditReview
}

/** The review of a previewed migration: the advice, the policy applied, or why none ran. */
export interface EditReview {
  advice: Advice[]
  policy: string
  note: string
}

/** editReview normalises a review Go sent (nil slices as null). */
export function editReview(r: unknown): EditReview {
  const v = (r ?? {}) as Record<string, unknown>
  return { advice: Array.isArray(v.advice) ? (v.advice as Advice[]) : [], policy: typeof v.policy === 'string' ? v.policy : '', note: typeof v.note === 'string' ? v.note : '' }
}

type Raw = Record<string, unknown> | null | undefined
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
const s = (v: unknown): string => (typeof v === 'string' ? v : '')
const ns = (v: unknown): string | null => (typeof v === 'string' ? v : null)

function column(c: Raw): EditColumn {
  return {
    name: s(c?.name),
    key: s(c?.key),
    mark: s(c?.mark) as EditMark,
    type: s(c?.type),
    default: ns(c?.default),
    notNull: !!c?.notNull,
    identity: s(c?.identity),
    generated: s(c?.generated),
    comment: ns(c?.comment),
    primaryKey: !!c?.primaryKey,
    foreignKey: !!c?.foreignKey,
  }
}

function table(t: Raw): EditTable {
  return {
    schema: s(t?.schema),
    name: s(t?.name),
    key: s(t?.key),
    mark: s(t?.mark) as EditMark,
    comment: ns(t?.comment),
    partitioned: !!t?.partitioned,
    columns: arr<Raw>(t?.columns).map(column),
    indexes: arr<Raw>(t?.indexes).map((x) => ({
      name: s(x?.name),
      key: s(x?.key),
      mark: s(x?.mark) as EditMark,
      definition: s(x?.definition),
      columns: arr<string>(x?.columns),
      unique: !!x?.unique,
      method: s(x?.method),
      constraint: s(x?.constraint),
      comment: ns(x?.comment),
    })),
    constraints: arr<Raw>(t?.constraints).map((c) => ({
      name: s(c?.name),
      key: s(c?.key),
      mark: s(c?.mark) as EditMark,
      type: s(c?.type),
      definition: s(c?.definition),
      columns: arr<string>(c?.columns),
      refTable: s(c?.refTable),
      refColumns: arr<string>(c?.refColumns),
      comment: ns(c?.comment),
    })),
    droppedColumns: arr<string>(t?.droppedColumns),
  }
}

/** schemaObjects normalises a schema's comment, views, sequences, types and dropped views and sequences. */
function schemaObjects(sc: Raw) {
  return {
    comment: ns(sc?.comment),
    views: arr<Raw>(sc?.views).map((v) => ({
      schema: s(v?.schema),
      name: s(v?.name),
      key: s(v?.key),
      mark: s(v?.mark) as EditMark,
      materialized: !!v?.materialized,
      definition: s(v?.definition),
      comment: ns(v?.comment),
      columns: arr<string>(v?.columns),
      checkOption: (s(v?.checkOption) || '') as '' | 'local' | 'cascaded',
      securityBarrier: !!v?.securityBarrier,
      securityInvoker: !!v?.securityInvoker,
      withNoData: !!v?.withNoData,
    })),
    sequences: arr<Raw>(sc?.sequences).map((q) => ({
      schema: s(q?.schema),
      name: s(q?.name),
      key: s(q?.key),
      mark: s(q?.mark) as EditMark,
      dataType: s(q?.dataType),
      start: s(q?.start),
      increment: s(q?.increment),
      min: s(q?.min),
      max: s(q?.max),
      cache: s(q?.cache),
      cycle: !!q?.cycle,
      comment: ns(q?.comment),
      ownedBy: s(q?.ownedBy),
    })),
    types: arr<Raw>(sc?.types).map((t) => ({
      name: s(t?.name),
      key: s(t?.key),
      mark: s(t?.mark) as EditMark,
      kind: s(t?.kind),
      labels: arr<string>(t?.labels),
      comment: ns(t?.comment),
    })),
    droppedViews: arr<string>(sc?.droppedViews),
    droppedSequences: arr<string>(sc?.droppedSequences),
    functions: arr<Raw>(sc?.functions).map((f) => ({
      name: s(f?.name),
      args: s(f?.args),
      kind: s(f?.kind),
      result: s(f?.result),
      key: s(f?.key),
      mark: s(f?.mark) as EditMark,
      comment: ns(f?.comment),
    })),
  }
}

/** editorState normalises what Go sends (nil slices as null) into the shape the UI reads. */
export function editorState(r: Raw): EditorState {
  const m = (r?.model ?? {}) as Record<string, unknown>
  return {
    sessionId: s(r?.sessionId),
    databaseId: s(r?.databaseId),
    databaseName: s(r?.databaseName),
    snapshotId: s(r?.snapshotId),
    takenAt: s(r?.takenAt),
    production: !!r?.production,
    design: s(r?.design),
    model: {
      schemas: arr<Raw>(m.schemas).map((sc) => ({
        name: s(sc?.name),
        key: s(sc?.key),
        mark: s(sc?.mark) as EditMark,
        tables: arr<Raw>(sc?.tables).map(table),
        dropped: arr<string>(sc?.dropped),
        ...schemaObjects(sc),
      })),
      types: arr<string>(m.types),
      suggestions: arr<string>(m.suggestions),
      canUndo: !!m.canUndo,
      canRedo: !!m.canRedo,
      ops: typeof m.ops === 'number' ? m.ops : 0,
    },
    problems: arr<EditProblem>(r?.problems),
  }
}

function preview(p: Raw): EditPreview {
  return {
    sql: s(p?.sql),
    statements: arr<Raw>(p?.statements).map((st) => ({
      sql: s(st?.sql),
      hazards: arr<EditHazard>(st?.hazards),
      transactional: !!st?.transactional,
      object: s(st?.object),
    })),
    renames: arr<EditRename>(p?.renames),
    warnings: arr<string>(p?.warnings),
    online: !!p?.online,
    problems: arr<EditProblem>(p?.problems),
    review: editReview(p?.review),
  }
}

const raw = (v: unknown) => v as unknown as Raw

/** openSchemaEditor starts a session over the database's latest snapshot (syncing it when never synced). */
export async function openSchemaEditor(databaseId: string): Promise<EditorState> {
  return editorState(raw(await call(() => SchemaEditService.Open(databaseId))))
}

/** A design to open: a .sql or .json file, or a stored snapshot. */
export type DesignSource = { kind: 'file'; path: string } | { kind: 'snapshot'; snapshotId: string }

/** chooseDesignFile opens the native file dialog for a design (.sql or .json); '' when cancelled. */
export function chooseDesignFile(): Promise<string> {
  return call(() => SchemaEditService.ChooseDesignFile())
}

/** openDesign starts a session over a design for the database: edits go to the design, the preview plans from the database's snapshot to it. */
export async function openDesign(databaseId: string, source: DesignSource): Promise<EditorState> {
  const side = source.kind === 'file' ? { kind: 'file', path: source.path } : { kind: 'snapshot', snapshotId: source.snapshotId }
  return editorState(raw(await call(() => SchemaEditService.OpenDesign(databaseId, side as never))))
}

/** applyEdit stages one operation; a refused one rejects with the message and field, changing nothing. */
export async function applyEdit(sessionId: string, op: EditOp): Promise<EditorState> {
  return editorState(raw(await call(() => SchemaEditService.Apply(sessionId, schemaedit.Op.createFrom(op)))))
}

export async function undoEdit(sessionId: string): Promise<EditorState> {
  return editorState(raw(await call(() => SchemaEditService.Undo(sessionId))))
}

export async function redoEdit(sessionId: string): Promise<EditorState> {
  return editorState(raw(await call(() => SchemaEditService.Redo(sessionId))))
}

export async function discardEdits(sessionId: string): Promise<EditorState> {
  return editorState(raw(await call(() => SchemaEditService.Discard(sessionId))))
}

/** previewEdits: the migration from the snapshot to the edited model (or the problems to fix first). */
export async function previewEdits(sessionId: string, online: boolean): Promise<EditPreview> {
  return preview(raw(await call(() => SchemaEditService.Preview(sessionId, online))))
}

/** editOps: the staged operations, as `tidemark schema edit --ops` reads them. */
export async function editOps(sessionId: string): Promise<EditOp[]> {
  return ((await call(() => SchemaEditService.Ops(sessionId))) ?? []) as unknown as EditOp[]
}

export function closeSchemaEditor(sessionId: string): Promise<void> {
  return call(() => SchemaEditService.Close(sessionId))
}

/** desiredSQL: the edited model as desired-state DDL (what loads into an empty database). */
export function desiredSQL(sessionId: string): Promise<string> {
  return call(() => SchemaEditService.DesiredSQL(sessionId))
}

/** chooseDesignPath opens the native save dialog for the edited model; '' when cancelled. */
export function chooseDesignPath(sessionId: string): Promise<string> {
  return call(() => SchemaEditService.ChooseSavePath(sessionId))
}

/** saveDesign writes the edited model's desired-state DDL to path. */
export function saveDesign(sessionId: string, path: string): Promise<void> {
  return call(() => SchemaEditService.SaveSQL(sessionId, path))
}
