// Turns review advice into CodeMirror lint diagnostics (gutter markers, underlines, hover text).
import type { Text } from '@codemirror/state'
import type { Diagnostic } from '@codemirror/lint'
import type { Advice, ReviewResult } from '../../api'

/** offsetOf is the document position of a 1-based line and column, clamped to the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  if (doc.lines === 0) return 0
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines))
  return Math.min(l.from + Math.max(column, 1) - 1, l.to)
}

function lineEnd(doc: Text, line: number): number {
  return doc.line(Math.min(Math.max(line, 1), doc.lines)).to
}

export function adviceText(a: Advice): string {
  return `${a.title}: ${a.message} [${a.rule}]`
}

/** toDiagnostics places every advice from its position to the end of its statement. */
export function toDiagnostics(doc: Text, result: ReviewResult | null): Diagnostic[] {
  if (!result) return []
  const out: Diagnostic[] = []
  if (result.syntaxError) {
    const e = result.syntaxError
    const from = offsetOf(doc, e.line, e.column)
    out.push({ from, to: Math.max(from, lineEnd(doc, e.line)), severity: 'error', source: 'syntax', message: `Syntax error: ${e.message}` })
  }
  for (const a of result.advice) {
    const from = offsetOf(doc, a.line, a.column)
    let to = offsetOf(doc, a.endLine || a.line, a.endColumn || a.column)
    if (to <= from) to = Math.max(from, lineEnd(doc, a.line))
    out.push({ from, to, severity: a.level === 'error' ? 'error' : a.level === 'info' ? 'info' : 'warning', source: a.rule, message: adviceText(a) })
  }
  return out.sort((x, y) => x.from - y.from)
}
