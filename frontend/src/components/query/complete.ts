// Completion helpers of the SQL editor: the columns of the tables a statement names.
import type { CompletionCatalog } from '../../api'

const REF = /\b(?:from|join|update|into|table)\s+((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/gi

function unquote(part: string): string {
  const p = part.trim()
  return p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()
}

/** tablesIn lists the [schema, table] names after FROM, JOIN, UPDATE, INTO or TABLE ('' schema: unqualified). */
export function tablesIn(stmt: string): [string, string][] {
  const out: [string, string][] = []
  for (const m of stmt.matchAll(REF)) {
    const parts = m[1]!.split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/).map(unquote)
    out.push(parts.length === 2 ? [parts[0]!, parts[1]!] : ['', parts[0]!])
  }
  return out
}

/**
 * statementColumns is the columns of the catalog's tables the statement names (an unqualified
 * name matches public first, then any schema), each with its table and type.
 */
export function statementColumns(catalog: CompletionCatalog | null, stmt: string): { name: string; type: string; table: string }[] {
  if (!catalog) return []
  const out: { name: string; type: string; table: string }[] = []
  const seen = new Set<string>()
  for (const [schema, table] of tablesIn(stmt)) {
    const schemas = schema
      ? catalog.schemas.filter((s) => s.name === schema)
      : [...catalog.schemas].sort((a, b) => (a.name === 'public' ? -1 : b.name === 'public' ? 1 : 0))
    for (const s of schemas) {
      const t = s.tables.find((x) => x.name === table)
      if (!t) continue
      const key = `${s.name}.${t.name}`
      if (seen.has(key)) break
      seen.add(key)
      for (const c of t.columns) out.push({ name: c.name, type: c.type, table: t.name })
      break
    }
  }
  return out
}
