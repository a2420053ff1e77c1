import { describe, expect, it } from 'vitest'
import type { QueryResult, SchemaNode } from '../../api'
import {
  browserNodes,
  byteSlice,
  cellPreview,
  errorOffset,
  insertText,
  qualified,
  quoteIdent,
  tsvColumn,
  tsvRows,
  viewerText,
} from './sqltext'

const node = (id: string, label: string, kind: string, children: SchemaNode[] = [], detail = ''): SchemaNode => ({ id, label, kind, detail, children })

const tree: SchemaNode[] = [
  node('schema:hr', 'hr', 'schema', [
    node('group:schema:hr/tables', 'Tables (1)', 'group', [
      node('table:hr.employees', 'employees', 'table', [
        node('group:table:hr.employees/columns', 'Columns (2)', 'group', [
          node('table:hr.employees/column:emp_no', 'emp_no', 'column', [], 'integer'),
          node('table:hr.employees/column:First Name', 'First Name', 'column', [], 'text'),
        ]),
        node('group:table:hr.employees/indexes', 'Indexes (1)', 'group', [node('table:hr.employees/index:pk', 'employees_pkey', 'index')]),
      ]),
    ]),
    node('group:schema:hr/functions', 'Functions (1)', 'group', [node('function:hr.raise(integer)', 'raise', 'function', [], '(integer)')]),
    node('group:schema:hr/types', 'Types (1)', 'group', [node('type:hr.mood', 'mood', 'type', [], 'enum')]),
  ]),
]

function result(columns: [string, string][], rows: (string | null)[][]): QueryResult {
  return {
    tag: 'SELECT',
    columns: columns.map(([name, type]) => ({ name, type, oid: 0 })),
    rows: rows.map((r) => r.map((v) => (v === null ? { text: '', null: true } : { text: v }))),
    limitReached: false,
    elapsedMs: 1,
    start: 0,
    end: 0,
  }
}

describe('SQL editor helpers', () => {
  it('quotes identifiers only when PostgreSQL would need it', () => {
    expect(quoteIdent('employees')).toBe('employees')
    expect(quoteIdent('First Name')).toBe('"First Name"')
    expect(quoteIdent('Emp')).toBe('"Emp"')
    expect(quoteIdent('a"b')).toBe('"a""b"')
    expect(qualified('hr', 'employees')).toBe('hr.employees')
  })

  it('places an error of a run sent from the middle of the tab back in the tab', () => {
    const doc = 'SELECT 1;\nSELECT *\n  FROM nope;'
    const base = doc.indexOf('SELECT *')
    const sent = doc.slice(base)
    // "nope" is on line 2, column 8 of the text sent
    const pos = errorOffset(sent, base, { line: 2, column: 8 })
    expect(doc.slice(pos, pos + 4)).toBe('nope')
    expect(errorOffset(sent, base, { line: 0, column: 0 })).toBe(-1)
    expect(errorOffset(sent, base, { line: 9, column: 1 })).toBe(doc.length)
  })

  it('copies as TSV: NULL empty, tabs and newlines escaped, header on request', () => {
    const r = result([['id', 'integer'], ['note', 'text']], [['1', 'a\tb'], ['2', null], ['3', 'x\ny']])
    expect(tsvRows(r.columns, r.rows, true)).toBe('id\tnote\n1\ta\\tb\n2\t\n3\tx\\ny')
    expect(tsvRows(r.columns, [r.rows[0]!], false)).toBe('1\ta\\tb')
    expect(tsvColumn(r, 1)).toBe('note\na\\tb\n\nx\\ny')
  })

  it('cuts long, multi-line and bytea values for the grid and pretty-prints JSON in the viewer', () => {
    expect(cellPreview({ text: '', null: true }, 'text')).toEqual({ text: 'NULL', more: false })
    expect(cellPreview({ text: 'short' }, 'text')).toEqual({ text: 'short', more: false })
    const long = cellPreview({ text: 'x'.repeat(500) }, 'text')
    expect(long.more).toBe(true)
    expect(long.text.length).toBeLessThan(500)
    expect(cellPreview({ text: '\\x' + 'ab'.repeat(40) }, 'bytea').more).toBe(true)
    expect(cellPreview({ text: 'abc', truncated: true }, 'text').more).toBe(true)
    expect(cellPreview({ text: '{\n"a": 1}' }, 'jsonb')).toEqual({ text: '{…', more: true })
    expect(viewerText({ text: '{"a":[1,2]}' }, 'jsonb')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}')
    expect(viewerText({ text: '{"a":' , truncated: true }, 'json')).toBe('{"a":')
  })

  it('keeps schemas, tables, views, functions and columns of a snapshot tree, with their schema', () => {
    const b = browserNodes(tree)
    const labels: string[] = []
    const walk = (ns: typeof b) => ns.forEach((n) => (labels.push(`${n.kind}:${n.label}`), walk(n.children)))
    walk(b)
    expect(labels).toEqual([
      'schema:hr',
      'group:Tables (1)',
      'table:employees',
      'group:Columns (2)',
      'column:emp_no',
      'column:First Name',
      'group:Functions (1)',
      'function:raise',
    ])
    const table = b[0]!.children[0]!.children[0]!
    expect(insertText(table)).toBe('hr.employees')
    expect(insertText(table.children[0]!.children[1]!)).toBe('"First Name"')
    expect(insertText(b[0]!.children[1]!.children[0]!)).toBe('hr.raise()')
    expect(insertText(b[0]!.children[0]!)).toBe('')
  })

  it('slices the text sent by the byte spans of its statements', () => {
    const sent = "SELECT 'é';SELECT 2"
    expect(byteSlice(sent, 0, 11)).toBe("SELECT 'é'")
    expect(byteSlice(sent, 12, 20)).toBe('SELECT 2')
  })
})

describe('completion of the columns of tables in the statement', () => {
  const catalog = {
    schemas: [
      { name: 'hr', tables: [{ name: 'employees', kind: 'table' as const, columns: [{ name: 'emp_no', type: 'integer' }] }, { name: 'Odd Name', kind: 'view' as const, columns: [{ name: 'x', type: 'text' }] }], functions: [] },
      { name: 'public', tables: [{ name: 'employees', kind: 'table' as const, columns: [{ name: 'id', type: 'bigint' }] }], functions: [] },
    ],
  }
  it('finds qualified, quoted and unqualified names after FROM and JOIN', async () => {
    const { tablesIn, statementColumns } = await import('./complete')
    expect(tablesIn('SELECT * FROM hr.employees e JOIN "hr"."Odd Name" o ON true')).toEqual([
      ['hr', 'employees'],
      ['hr', 'Odd Name'],
    ])
    expect(statementColumns(catalog, 'select  from hr.employees join hr."Odd Name" on true').map((c) => `${c.table}.${c.name}:${c.type}`)).toEqual([
      'employees.emp_no:integer',
      'Odd Name.x:text',
    ])
    // unqualified: public first
    expect(statementColumns(catalog, 'SELECT  FROM Employees').map((c) => c.name)).toEqual(['id'])
    expect(statementColumns(catalog, 'SELECT 1')).toEqual([])
    expect(statementColumns(null, 'SELECT * FROM hr.employees')).toEqual([])
  })
})
