// Layout of an ER diagram: box sizes come from the data (so the layout runs before anything is
// drawn), positions from elkjs's layered algorithm (foreign keys point left to right;
// unrelated tables are packed beside the connected ones). elkjs is loaded on first use.
import type { Diagram, DiagramTable } from '../../api'

/** Box geometry in pixels; the table node's CSS uses the same numbers. */
export const BOX = {
  header: 30,
  row: 20,
  padding: 6,
  charWidth: 7.2,
  minWidth: 160,
  maxWidth: 380,
} as const

export interface Size {
  width: number
  height: number
}

export interface Point {
  x: number
  y: number
}

export interface Layout {
  positions: Map<string, Point>
  sizes: Map<string, Size>
  width: number
  height: number
}

/** boxSize sizes a table's box from its title (with its tags) and its longest column line (name, type, markers). */
export function boxSize(t: DiagramTable): Size {
  const title = t.id.length + 2 + (t.mark ? t.mark.length + 3 : 0) + (t.partitioned ? 7 : 0)
  const line = t.columns.reduce((m, c) => Math.max(m, c.name.length + c.type.length + 8), 0)
  const width = Math.min(BOX.maxWidth, Math.max(BOX.minWidth, Math.ceil(Math.max(title, line) * BOX.charWidth) + 2 * BOX.padding))
  const rows = Math.max(1, t.columns.length)
  return { width, height: BOX.header + rows * BOX.row + BOX.padding }
}

interface ElkNode {
  id: string
  x?: number
  y?: number
  width?: number
  height?: number
  children?: ElkNode[]
}
interface ElkGraph extends ElkNode {
  layoutOptions: Record<string, string>
  edges: { id: string; sources: string[]; targets: string[] }[]
}
interface Elk {
  layout(graph: ElkGraph): Promise<ElkNode>
}

let engine: Promise<Elk> | null = null

// elk.bundled.js runs the layout in the page's own thread: it behaves the same in the desktop's
// webview, in Chromium and under vitest. (A web worker was measured too: on two busy cores it
// was no faster, and a webview serving the app from a custom scheme may refuse workers.)
function elk(): Promise<Elk> {
  engine ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default() as unknown as Elk)
  return engine
}

/** preloadLayout starts loading elkjs (about 1.5 MB of code) while the diagram's data is fetched. */
export function preloadLayout(): void {
  void elk().catch(() => {
    engine = null // layoutDiagram tries again and reports the failure
  })
}

const options: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.componentComponent': '60',
  // SIMPLE placement packs large schemas about a third tighter than the default (Brandes-Köpf) and is faster
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.aspectRatio': '1.6',
}

/** layoutDiagram places every table of the diagram; a self-reference does not constrain it. */
export async function layoutDiagram(d: Diagram): Promise<Layout> {
  const sizes = new Map(d.tables.map((t) => [t.id, boxSize(t)]))
  const positions = new Map<string, Point>()
  if (!d.tables.length) return { positions, sizes, width: 0, height: 0 }
  const graph: ElkGraph = {
    id: 'root',
    layoutOptions: options,
    children: d.tables.map((t) => ({ id: t.id, ...sizes.get(t.id)! })),
    edges: d.edges.filter((e) => e.from !== e.to && sizes.has(e.from) && sizes.has(e.to)).map((e) => ({ id: e.id, sources: [e.to], targets: [e.from] })),
  }
  const out = await (await elk()).layout(graph)
  for (const c of out.children ?? []) positions.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 })
  return { positions, sizes, width: out.width ?? 0, height: out.height ?? 0 }
}

/** neighbours returns a table and the tables it references or is referenced by. */
export function neighbours(d: Diagram, id: string): Set<string> {
  const out = new Set([id])
  for (const e of d.edges) {
    if (e.from === id) out.add(e.to)
    if (e.to === id) out.add(e.from)
  }
  return out
}

/** searchTables returns the tables whose name or qualified name contains the text (case-insensitive), best first. */
export function searchTables(d: Diagram, text: string): DiagramTable[] {
  const q = text.trim().toLowerCase()
  if (!q) return []
  const rank = (t: DiagramTable) => (t.name.toLowerCase() === q ? 0 : t.name.toLowerCase().startsWith(q) ? 1 : 2)
  return d.tables
    .filter((t) => t.id.toLowerCase().includes(q))
    .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
}
