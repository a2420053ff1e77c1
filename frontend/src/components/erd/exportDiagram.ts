// Saving an exported diagram: the native save dialog (Go), then the file written by Go.
import * as api from '../../api'
import type { DiagramFormat } from '../../api'
import { useNotify } from '../../composables/notify'

export function useDiagramExport(databaseId: () => string) {
  const notify = useNotify()
  return async function save(format: DiagramFormat, data: string) {
    try {
      const path = await api.chooseDiagramPath(databaseId(), format)
      if (!path) return
      await api.saveDiagram(path, format, data)
      notify.success(`Exported the diagram to ${path}`)
    } catch (e) {
      notify.error(e, 'The diagram was not exported')
    }
  }
}

/** tableLimit is how many tables the diagram draws at first; past it, the largest schema alone is chosen. */
export const tableLimit = 400

/** defaultSchemas picks the schemas drawn first: all of them when they fit, else the one with most tables. */
export function defaultSchemas(schemas: api.DiagramSchema[]): string[] {
  const total = schemas.reduce((n, s) => n + s.tables, 0)
  if (total <= tableLimit) return schemas.map((s) => s.name)
  const best = [...schemas].sort((a, b) => b.tables - a.tables || a.name.localeCompare(b.name))[0]
  return best ? [best.name] : []
}
