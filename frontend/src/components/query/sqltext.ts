// Pure helpers of the SQL editor: identifiers, error positions, TSV copies, the object browser's
// view of a snapshot tree, and byte spans of a run's statements.
import type { QueryCell, QueryColumn, QueryError, QueryResult, SchemaNode } from '../../api'

/** quoteIdent double-quotes an identifier unless it is a plain lower-case name. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`
}

/** qualified is schema.name, each part quoted when needed. */
export function qualified(schema: string, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name)
}

/**
 * errorOffset places an error of a run in the editor's document: line/column (1-based) are
 * relative to the text sent, which started at base in the document. -1 when it has no position.
 */
export function errorOffset(sent: string, base: number, err: Pick<QueryError, 'line' | 'column'>): number {
  if (!err.line || err.line < 1) return -1
  const lines = sent.split('\n')
  if (err.line > lines.length) return base + sent.length
  let off = 0
  for (let i = 0; i < err.line - 1; i++) off += lines[i]!.length + 1
  return base + off + Math.min(Math.max(err.column - 1, 0), lines[err.line - 1]!.length)
}

function tsvValue(c: QueryCell | undefined): string {
  if (!c || c.null) return ''
  return c.text.replace(/[\t\n\r]/g, (m) => (m === '\t' ? '\\t' : m === '\n' ? '\\n' : '\\r'))
}

/** tsvRows renders rows (optionally with a header of column names) as tab-separated lines. */
export function tsvRows(columns: QueryColumn[], rows: QueryCell[][], header: boolean): string {
  const lines = rows.map((r) => columns.map((_, i) => tsvValue(r[i])).join('\t'))
  if (header) lines.unshift(columns.map((c) => c.name).join('\t'))
  return lines.join('\n')
}

/** tsvColumn renders one column's values, one a line, under its name. */
export function tsvColumn(result: QueryResult, col: number): string {
  return [result.columns[col]?.name ?? '', ...result.rows.map((r) => tsvValue(r[col]))].join('\n')
}

/** cells longer than this are cut in the grid and opened whole in the viewer */
export const CELL_CHARS = 200

/** cellPreview is what a grid cell shows, and whether the whole value needs the viewer. */
export function cellPreview(c: QueryCell, type: string): { text: string; more: boolean } {
  if (c.null) return { text: 'NULL', more: false }
  const limit = type === 'bytea' ? 64 : CELL_CHARS
  const firstLine = c.text.indexOf('\n')
  if (c.text.length > limit || c.truncated || (firstLine >= 0 && (type === 'json' || type === 'jsonb' || c.text.length > 60))) {
    const cut = firstLine >= 0 && firstLine < limit ? firstLine : limit
    return { text: c.text.slice(0, cut) + '…', more: true }
  }
  return { text: c.text, more: false }
}

/** viewerText pretty-prints JSON values; anything else is shown as it is. */
export function viewerText(c: QueryCell, type: string): string {
  if (!c.truncated && (type === 'json' || type === 'jsonb')) {
    try {
      return JSON.stringify(JSON.parse(c.text), null, 2)
    } catch {
      return c.text
    }
  }
  return c.text
}

const BROWSER_KINDS = new Set(['schema', 'group', 'table', 'view', 'matview', 'function', 'procedure', 'column'])

/** BrowserNode is a snapshot tree node with the schema and table it belongs to. */
export interface BrowserNode {
  id: string
  label: string
  kind: string
  detail: string
  schema: string
  /** the table or view of a column */
  parent: string
  children: BrowserNode[]
}

/**
 * browserNodes keeps what the editor's browser shows of a snapshot tree: schemas, their
 * tables, views and functions, and the columns of tables and views (groups left empty drop out).
 */
export function browserNodes(nodes: SchemaNode[], schema = '', parent = ''): BrowserNode[] {
  const out: BrowserNode[] = []
  for (const n of nodes) {
    if (!BROWSER_KINDS.has(n.kind)) continue
    const s = n.kind === 'schema' ? n.label : schema
    const p = n.kind === 'table' || n.kind === 'view' || n.kind === 'matview' ? n.label : parent
    const children = browserNodes(n.children, s, p)
    if (n.kind === 'group' && children.length === 0) continue
    out.push({ id: n.id, label: n.label, kind: n.kind, detail: n.detail, schema: s, parent: n.kind === 'column' ? parent : '', children })
  }
  return out
}

/** insertText is what double-clicking a browser node puts at the cursor ('' for groups). */
export function insertText(n: BrowserNode): string {
  switch (n.kind) {
    case 'schema':
      return quoteIdent(n.label)
    case 'column':
      return quoteIdent(n.label)
    case 'function':
    case 'procedure':
      return `${qualified(n.schema, n.label)}()`
    case 'group':
      return ''
    default:
      return qualified(n.schema, n.label)
  }
}

/** byteSlice cuts text by UTF-8 byte offsets (a result's start/end in the text sent). */
export function byteSlice(text: string, start: number, end: number): string {
  const bytes = new TextEncoder().encode(text)
  return new TextDecoder().decode(bytes.slice(start, end))
}
