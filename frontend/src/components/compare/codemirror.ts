// Read-only CodeMirror setup shared by the compare views: PostgreSQL highlighting, light or dark.
import { EditorState, type Extension } from '@codemirror/state'
import { EditorView, lineNumbers } from '@codemirror/view'
import { PostgreSQL, sql } from '@codemirror/lang-sql'
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { tags as t } from '@lezer/highlight'

const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#c792ea' },
  { tag: [t.typeName, t.className], color: '#ffcb6b' },
  { tag: [t.string, t.special(t.string)], color: '#c3e88d' },
  { tag: [t.number, t.bool, t.null], color: '#f78c6c' },
  { tag: t.comment, color: '#7f8c98', fontStyle: 'italic' },
  { tag: [t.operator, t.punctuation], color: '#89ddff' },
  { tag: [t.name, t.variableName, t.propertyName], color: '#e6e6e6' },
])

const base = EditorView.theme({
  '&': { fontSize: '12.5px', height: '100%' },
  '.cm-scroller': { fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, monospace', overflow: 'auto' },
})

const darkTheme = EditorView.theme(
  {
    '&': { backgroundColor: '#18181c', color: '#e6e6e6' },
    '.cm-gutters': { backgroundColor: '#1f1f24', color: '#7f8c98', borderRight: '1px solid #2c2c32' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'transparent' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#2f4a5a' },
    '.cm-changedLine': { backgroundColor: 'rgba(34, 211, 238, 0.08) !important' },
    '.cm-deletedChunk': { backgroundColor: 'rgba(248, 113, 113, 0.12)' },
    '.cm-collapsedLines': { backgroundColor: '#24242a', color: '#9aa4ad' },
  },
  { dark: true },
)

const lightTheme = EditorView.theme({
  '.cm-gutters': { backgroundColor: '#f4f7f9', color: '#6b7785', borderRight: '1px solid #e3e8ec' },
})

/** readOnlySql: the extensions of a read-only PostgreSQL editor (wrap: soft-wrap long lines). */
export function readOnlySql(dark: boolean, wrap = false): Extension[] {
  return [
    ...(wrap ? [EditorView.lineWrapping] : []),
    lineNumbers(),
    sql({ dialect: PostgreSQL }),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    base,
    dark ? darkTheme : lightTheme,
    syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
  ]
}

/**
 * statementLines finds where each statement starts in the script (1-based lines), searching
 * forward so that repeated statements map to successive places; 0 when not found.
 */
export function statementLines(script: string, statements: string[]): number[] {
  const out: number[] = []
  let from = 0
  for (const s of statements) {
    const i = script.indexOf(s, from)
    if (i < 0) {
      out.push(0)
      continue
    }
    out.push(script.slice(0, i).split('\n').length)
    from = i + s.length
  }
  return out
}
