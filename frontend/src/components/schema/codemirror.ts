// Read-only CodeMirror 6 for SQL (PostgreSQL dialect), light or dark. CodeViewer.vue wraps it;
// any page that shows SQL (DDL, history, migrations) can use either.
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { EditorView, lineNumbers } from '@codemirror/view'
import { PostgreSQL, sql } from '@codemirror/lang-sql'
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { tags as t } from '@lezer/highlight'

/** darkHighlight: PostgreSQL token colours on a dark background. */
export const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#c792ea' },
  { tag: [t.typeName, t.className], color: '#ffcb6b' },
  { tag: [t.string, t.special(t.string)], color: '#c3e88d' },
  { tag: [t.number, t.bool, t.null], color: '#f78c6c' },
  { tag: t.comment, color: '#7f8c98', fontStyle: 'italic' },
  { tag: [t.operator, t.punctuation], color: '#89ddff' },
  { tag: [t.name, t.variableName, t.propertyName], color: '#e6e6e6' },
])

/** baseTheme: font and sizing shared by every SQL view. */
export const baseTheme = EditorView.theme({
  '&': { fontSize: '12.5px', height: '100%' },
  '.cm-scroller': { fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, monospace', overflow: 'auto' },
})

/** darkTheme / lightTheme: editor chrome for each colour scheme. */
export const darkTheme = EditorView.theme(
  {
    '&': { backgroundColor: '#18181c', color: '#e6e6e6' },
    '.cm-gutters': { backgroundColor: '#1f1f24', color: '#7f8c98', borderRight: '1px solid #2c2c32' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'transparent' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#2f4a5a' },
  },
  { dark: true },
)

export const lightTheme = EditorView.theme({
  '&': { backgroundColor: '#ffffff' },
  '.cm-gutters': { backgroundColor: '#f4f7f9', color: '#6b7785', borderRight: '1px solid #e3e8ec' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'transparent' },
})

/** themeFor: the colours and highlighting for light or dark. */
export function themeFor(isDark: boolean): Extension {
  return [isDark ? darkTheme : lightTheme, syntaxHighlighting(isDark ? darkHighlight : defaultHighlightStyle)]
}

/** readOnlySqlState builds the editor state; theme is a compartment so light/dark switches in place. */
export function readOnlySqlState(doc: string, isDark: boolean, theme: Compartment, gutters = true): EditorState {
  return EditorState.create({
    doc,
    extensions: [
      gutters ? lineNumbers() : [],
      sql({ dialect: PostgreSQL }),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.lineWrapping,
      baseTheme,
      theme.of(themeFor(isDark)),
    ],
  })
}
