// Light and dark looks of the review editor, following the app's theme.
import type { Extension } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { tags as t } from '@lezer/highlight'

const base = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, monospace', overflow: 'auto' },
})

const light = EditorView.theme({
  '.cm-gutters': { backgroundColor: '#f4f7f9', color: '#6b7785', borderRight: '1px solid #e3e8ec' },
})

const dark = EditorView.theme(
  {
    '&': { backgroundColor: '#18181c', color: '#e6e6e6' },
    '.cm-content': { caretColor: '#e6e6e6' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#e6e6e6' },
    '.cm-gutters': { backgroundColor: '#1f1f24', color: '#7f8c98', borderRight: '1px solid #2c2c32' },
    '.cm-activeLine': { backgroundColor: 'rgba(255, 255, 255, 0.04)' },
    '.cm-activeLineGutter': { backgroundColor: 'rgba(255, 255, 255, 0.06)' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: '#2f4a5a' },
    '.cm-tooltip': { backgroundColor: '#24242a', color: '#e6e6e6', border: '1px solid #3a3a42' },
  },
  { dark: true },
)

const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#c792ea' },
  { tag: [t.typeName, t.className], color: '#ffcb6b' },
  { tag: [t.string, t.special(t.string)], color: '#c3e88d' },
  { tag: [t.number, t.bool, t.null], color: '#f78c6c' },
  { tag: t.comment, color: '#7f8c98', fontStyle: 'italic' },
  { tag: [t.operator, t.punctuation], color: '#89ddff' },
])

/** editorTheme: the extensions giving the editor its light or dark look. */
export function editorTheme(isDark: boolean): Extension[] {
  return isDark ? [base, dark, syntaxHighlighting(darkHighlight)] : [base, light]
}
