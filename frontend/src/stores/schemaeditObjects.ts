// The schema editor's views, sequences and comments: pure helpers the store and the panels share.
import type { CompletionCatalog, CompletionKind, EditModel, EditSchema, EditSequence, EditSequenceSpec } from '../api'

/** An object of the tree other than a table: a view (or materialized view), a sequence, a schema. */
export interface EditObjectRef {
  kind: 'view' | 'sequence' | 'schema'
  schema: string
  /** '' for a schema */
  name: string
}

/**
 * completionOf turns the edited model into the SQL editor's completion catalog: every table and
 * view with its columns and the functions a query can call, so a view's definition completes
 * what the edits made, not only what the database had.
 */
export function completionOf(model: EditModel | null): CompletionCatalog {
  return {
    schemas: (model?.schemas ?? []).map((s) => ({
      name: s.name,
      tables: [
        ...s.tables.map((t) => ({ name: t.name, kind: 'table' as const, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) })),
        ...(s.views ?? []).map((v) => ({
          name: v.name,
          kind: (v.materialized ? 'materialized view' : 'view') as CompletionKind,
          columns: v.columns.map((c) => ({ name: c, type: '' })),
        })),
      ],
      functions: (s.functions ?? []).filter((f) => f.kind !== 'procedure').map((f) => ({ name: f.name, args: f.args, returns: f.result })),
    })),
  }
}

/** viewTemplate is the starter query of a new view: the schema's first table, else a constant. */
export function viewTemplate(s: EditSchema | null): string {
  const t = s?.tables[0]
  if (!t) return 'SELECT 1 AS one'
  const cols = t.columns.slice(0, 3).map((c) => c.name)
  return `SELECT ${cols.length ? cols.join(', ') : '*'}\nFROM ${s!.name}.${t.name}`
}

/** The sequence panel's fields: values as strings (bigints). */
export interface SequenceFields {
  dataType: 'smallint' | 'integer' | 'bigint'
  start: string
  increment: string
  min: string
  max: string
  cache: string
  cycle: boolean
}

export function sequenceFields(q: EditSequence): SequenceFields {
  return { dataType: (q.dataType || 'bigint') as SequenceFields['dataType'], start: q.start, increment: q.increment, min: q.min, max: q.max, cache: q.cache, cycle: q.cycle }
}

/** wholeNumber reports whether a field holds an integer (what Go accepts for a sequence value). */
export const wholeNumber = (v: string) => /^\s*-?\d+\s*$/.test(v)

/**
 * sequenceChange is the alter_sequence spec of what changed between the sequence and the
 * fields (null when nothing did). A bound left as it was follows a type change in Go, as
 * ALTER SEQUENCE ... AS does, so only the fields the user changed are sent.
 */
export function sequenceChange(q: EditSequence, f: SequenceFields): EditSequenceSpec | null {
  const spec: EditSequenceSpec = {}
  if (f.dataType !== q.dataType) spec.data_type = f.dataType
  for (const k of ['start', 'increment', 'min', 'max', 'cache'] as const) if (f[k].trim() !== q[k]) spec[k] = f[k].trim()
  if (f.cycle !== q.cycle) spec.cycle = f.cycle
  return Object.keys(spec).length ? spec : null
}
