// Read-only CodeMirror setup shared by the compare views: PostgreSQL highlighting, light or dark.
import { EditorState, type Extension } from '@codemirror/state'
import { EditorView, lineNumbers } from '@codemirror/view'
import { PostgreSQL, sql } from '@codemirror/lang-sql'
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { baseTheme, darkHighlight, darkTheme as darkChrome, lightTheme } from '../schema/codemirror'

// The merge view adds its change markers on top of the shared dark chrome.
const darkTheme = [
  darkChrome,
  EditorView.theme(
    {
      '.cm-changedLine': { backgroundColor: 'rgba(34, 211, 238, 0.08) !important' },
      '.cm-deletedChunk': { backgroundColor: 'rgba(248, 113, 113, 0.12)' },
      '.cm-collapsedLines': { backgroundColor: '#24242a', color: '#9aa4ad' },
    },
    { dark: true },
  ),
]

/** readOnlySql: the extensions of a read-only PostgreSQL editor (wrap: soft-wrap long lines). */
export function readOnlySql(dark: boolean, wrap = false): Extension[] {
  return [
    ...(wrap ? [EditorView.lineWrapping] : []),
    lineNumbers(),
    sql({ dialect: PostgreSQL }),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    baseTheme,
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
