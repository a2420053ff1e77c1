// The ER diagram: the facade over SchemaService.Diagram / SchemaEditService.Diagram
// (app/erd.go, content built by internal/erd). Re-exported by api/index.ts.
import * as SchemaService from '../../wailsjs/go/app/SchemaService'
import * as SchemaEditService from '../../wailsjs/go/app/SchemaEditService'
import { call } from './errors'

/** What a schema editor session did to a box, a column or an edge ('' when untouched). */
export type DiagramMark = 'created' | 'changed' | 'dropped' | ''

export interface DiagramColumn {
  name: string
  type: string
  pk: boolean
  fk: boolean
  nullable: boolean
  mark: DiagramMark
}

/** One box; id is the qualified name as SQL writes it (public.orders). */
export interface DiagramTable {
  id: string
  schema: string
  name: string
  partitioned: boolean
  comment: string
  mark: DiagramMark
  columns: DiagramColumn[]
}

/** One foreign key, from the referencing table (from) to the referenced one (to). */
export interface DiagramEdge {
  /** the referencing table's id and the constraint name, joined by "/" */
  id: string
  name: string
  from: string
  to: string
  columns: string[]
  refColumns: string[]
  onDelete: string
  onUpdate: string
  mark: DiagramMark
}

export interface DiagramSchema {
  name: string
  tables: number
}

export interface Diagram {
  /** every schema of the model, with its table count */
  schemas: DiagramSchema[]
  /** the schemas drawn */
  shown: string[]
  tables: DiagramTable[]
  edges: DiagramEdge[]
  /** foreign keys to tables of schemas not shown (not drawn) */
  external: number
}

export interface SchemaDiagram {
  databaseId: string
  snapshotId: string
  /** RFC3339, of the snapshot drawn */
  takenAt: string
  diagram: Diagram
}

export type DiagramFormat = 'svg' | 'png'

const arr = <T>(v: T[] | null | undefined): T[] => v ?? []

function diagramOf(r: unknown): SchemaDiagram {
  const raw = (r ?? {}) as Partial<Omit<SchemaDiagram, 'diagram'>> & { diagram?: Partial<Diagram> | null }
  const d: Partial<Diagram> = raw.diagram ?? {}
  return {
    databaseId: raw.databaseId ?? '',
    snapshotId: raw.snapshotId ?? '',
    takenAt: raw.takenAt ?? '',
    diagram: {
      schemas: arr(d.schemas),
      shown: arr(d.shown),
      tables: arr(d.tables).map((t) => ({ ...t, columns: arr(t.columns) })),
      edges: arr(d.edges).map((e) => ({ ...e, columns: arr(e.columns), refColumns: arr(e.refColumns) })),
      external: d.external ?? 0,
    },
  }
}

/** databaseDiagram: the diagram of the database's latest snapshot, of these schemas (all when empty). */
export async function databaseDiagram(databaseId: string, schemas: string[] = []): Promise<SchemaDiagram> {
  return diagramOf(await call(() => SchemaService.Diagram(databaseId, schemas)))
}

/** editorDiagram: the diagram of an editing session's edited model, with its marks. */
export async function editorDiagram(sessionId: string, schemas: string[] = []): Promise<SchemaDiagram> {
  return diagramOf(await call(() => SchemaEditService.Diagram(sessionId, schemas)))
}

/** chooseDiagramPath opens the native save dialog for an export; '' when cancelled. */
export function chooseDiagramPath(databaseId: string, format: DiagramFormat): Promise<string> {
  return call(() => SchemaService.ChooseDiagramPath(databaseId, format))
}

/** saveDiagram writes an export: the SVG document, or the PNG as base64 or a data: URL. */
export function saveDiagram(path: string, format: DiagramFormat, data: string): Promise<void> {
  return call(() => SchemaService.SaveDiagram(path, format, data))
}
