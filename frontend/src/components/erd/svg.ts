// Export of an ER diagram: a standalone SVG document drawn from the data and the layout (not a
// copy of the screen's DOM, so it has no styles to inline and looks the same in any viewer),
// and a PNG rendered from that SVG on a canvas.
import type { Diagram, DiagramMark } from '../../api'
import { BOX, type Layout } from './layout'

export interface SvgColors {
  background: string
  box: string
  header: string
  text: string
  muted: string
  border: string
  edge: string
  created: string
  changed: string
  dropped: string
}

export const lightColors: SvgColors = {
  background: '#ffffff',
  box: '#ffffff',
  header: '#f0f4f8',
  text: '#1f2328',
  muted: '#6a737d',
  border: '#b8c2cc',
  edge: '#7a8794',
  created: '#18a058',
  changed: '#f0a020',
  dropped: '#d03050',
}

const MARGIN = 24

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function markColor(c: SvgColors, m: DiagramMark): string {
  return m ? c[m] : c.border
}

/** diagramSVG renders the diagram as laid out; the document's size fits every box. */
export function diagramSVG(d: Diagram, l: Layout, c: SvgColors = lightColors): string {
  let maxX = 0
  let maxY = 0
  for (const t of d.tables) {
    const p = l.positions.get(t.id)
    const s = l.sizes.get(t.id)
    if (!p || !s) continue
    maxX = Math.max(maxX, p.x + s.width)
    maxY = Math.max(maxY, p.y + s.height)
  }
  const w = Math.ceil(maxX + 2 * MARGIN)
  const h = Math.ceil(maxY + 2 * MARGIN)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="12">`,
    `<defs><marker id="erd-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c.edge}"/></marker></defs>`,
    `<rect width="${w}" height="${h}" fill="${c.background}"/>`,
    `<g transform="translate(${MARGIN},${MARGIN})">`,
  ]
  for (const e of d.edges) {
    const a = l.positions.get(e.from)
    const as = l.sizes.get(e.from)
    const b = l.positions.get(e.to)
    const bs = l.sizes.get(e.to)
    if (!a || !as || !b || !bs) continue
    const color = e.mark ? c[e.mark] : c.edge
    const dash = e.mark === 'dropped' ? ' stroke-dasharray="6 4"' : ''
    let path: string
    if (e.from === e.to) {
      const x = a.x + as.width
      const y = a.y + BOX.header / 2
      path = `M${x},${y} C${x + 50},${y - 40} ${x + 50},${y + 40} ${x},${y + 12}`
    } else {
      // from the referencing box's side facing the referenced one, to the referenced box's facing side
      const right = b.x + bs.width <= a.x
      const x1 = right ? a.x : a.x + as.width
      const x2 = right ? b.x + bs.width : b.x
      const y1 = a.y + Math.min(as.height / 2, 60)
      const y2 = b.y + Math.min(bs.height / 2, 60)
      const dx = Math.max(40, Math.abs(x2 - x1) / 2) * (right ? -1 : 1)
      path = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`
    }
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"${dash} marker-end="url(#erd-arrow)"><title>${esc(`${e.name}: ${e.from} (${e.columns.join(', ')}) → ${e.to} (${e.refColumns.join(', ')})`)}</title></path>`)
  }
  for (const t of d.tables) {
    const p = l.positions.get(t.id)
    const s = l.sizes.get(t.id)
    if (!p || !s) continue
    const border = markColor(c, t.mark)
    const dash = t.mark === 'dropped' ? ' stroke-dasharray="6 4"' : ''
    out.push(`<g transform="translate(${p.x},${p.y})"${t.mark === 'dropped' ? ' opacity="0.6"' : ''}>`)
    out.push(`<rect width="${s.width}" height="${s.height}" rx="6" fill="${c.box}" stroke="${border}" stroke-width="${t.mark ? 2 : 1}"${dash}/>`)
    out.push(`<path d="M0,6 a6,6 0 0 1 6,-6 h${s.width - 12} a6,6 0 0 1 6,6 v${BOX.header - 6} h-${s.width} z" fill="${c.header}"/>`)
    out.push(`<text x="${BOX.padding}" y="${BOX.header / 2 + 4}" fill="${c.text}" font-weight="600"${t.mark === 'dropped' ? ' text-decoration="line-through"' : ''}>${esc(t.id)}${t.mark ? ` (${t.mark})` : ''}</text>`)
    t.columns.forEach((col, i) => {
      const y = BOX.header + i * BOX.row + BOX.row / 2 + 4
      const key = col.pk ? 'PK' : col.fk ? 'FK' : ''
      const fill = col.mark ? c[col.mark] : c.text
      const strike = col.mark === 'dropped' ? ' text-decoration="line-through"' : ''
      if (key) out.push(`<text x="${BOX.padding}" y="${y}" fill="${col.pk ? c.changed : c.muted}" font-size="10" font-weight="700">${key}${col.pk && col.fk ? '/FK' : ''}</text>`)
      out.push(`<text x="${BOX.padding + 34}" y="${y}" fill="${fill}"${strike}>${esc(col.name)}${col.nullable ? '' : ' *'}</text>`)
      out.push(`<text x="${s.width - BOX.padding}" y="${y}" fill="${c.muted}" text-anchor="end"${strike}>${esc(col.type)}</text>`)
    })
    out.push('</g>')
  }
  out.push('</g></svg>')
  return out.join('\n')
}

/** svgToPNG renders an SVG document on a canvas (scale × its size) and returns the PNG as a data: URL. */
export async function svgToPNG(svg: string, scale = 2): Promise<string> {
  const m = /width="(\d+)" height="(\d+)"/.exec(svg)
  const w = Number(m?.[1] ?? 0)
  const h = Number(m?.[2] ?? 0)
  // browsers cap a canvas's side (16k in Chromium) and area; past 40M pixels the file is also
  // too large to be useful, so huge diagrams are scaled down
  const fit = Math.min(scale, 16000 / Math.max(w, 1), 16000 / Math.max(h, 1), Math.sqrt(4e7 / Math.max(w * h, 1)))
  const img = new Image()
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.floor(w * fit))
  canvas.height = Math.max(1, Math.floor(h * fit))
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('this window cannot draw images (no 2D canvas)')
  ctx.scale(fit, fit)
  ctx.drawImage(img, 0, 0)
  return canvas.toDataURL('image/png')
}
