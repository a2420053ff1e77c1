import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { defineComponent, h, provide, ref } from 'vue'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  databaseDiagram: vi.fn(),
  editorDiagram: vi.fn(),
  chooseDiagramPath: vi.fn(),
  saveDiagram: vi.fn(),
  closeSchemaEditor: vi.fn(),
  openSchemaEditor: vi.fn(),
}))

import * as api from '../../api'
import type { Diagram, DiagramColumn, DiagramEdge, DiagramTable, SchemaDiagram } from '../../api'
import { mountWithProviders } from '../../testing/mountWithProviders'
import ErdDiagram from './ErdDiagram.vue'
import ErdEdge from './ErdEdge.vue'
import ErdTableNode from './ErdTableNode.vue'
import DatabaseDiagram from './DatabaseDiagram.vue'
import EditorDiagram from './EditorDiagram.vue'
import SchemaEditorModal from '../schemaedit/SchemaEditorModal.vue'
import { BOX, boxSize, layoutDiagram, neighbours, searchTables } from './layout'
import { diagramSVG } from './svg'
import { defaultSchemas } from './exportDiagram'
import { highlightKey } from './context'
import { useSchemaEditStore } from '../../stores/schemaedit'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]

const col = (name: string, extra: Partial<DiagramColumn> = {}): DiagramColumn => ({ name, type: 'bigint', pk: false, fk: false, nullable: true, mark: '', ...extra })
const tbl = (schema: string, name: string, columns: DiagramColumn[], extra: Partial<DiagramTable> = {}): DiagramTable => ({
  id: `${schema}.${name}`, schema, name, partitioned: false, comment: '', mark: '', columns, ...extra,
})
const edge = (from: string, to: string, name: string, extra: Partial<DiagramEdge> = {}): DiagramEdge => ({
  id: `${from}/${name}`, name, from, to, columns: ['x_id'], refColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action', mark: '', ...extra,
})

// customers ← orders ← lines, and notes on its own
function shop(): Diagram {
  return {
    schemas: [{ name: 'public', tables: 4 }],
    shown: ['public'],
    tables: [
      tbl('public', 'customers', [col('id', { pk: true, nullable: false }), col('name', { type: 'text' })]),
      tbl('public', 'orders', [col('id', { pk: true, nullable: false }), col('customer_id', { fk: true })], { mark: 'changed' }),
      tbl('public', 'lines', [col('order_id', { pk: true, fk: true, nullable: false }), col('sku', { type: 'text', mark: 'created' })], { mark: 'created' }),
      tbl('public', 'notes', [col('body', { type: 'text', mark: 'dropped' })]),
    ],
    edges: [edge('public.orders', 'public.customers', 'orders_customer_id_fkey'), edge('public.lines', 'public.orders', 'lines_order_id_fkey', { mark: 'created' })],
    external: 0,
  }
}
const wrap = (d: Diagram, extra: Partial<SchemaDiagram> = {}): SchemaDiagram => ({ databaseId: 'd1', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', diagram: d, ...extra })

/** settled waits until the diagram shows n boxes, laid out */
async function settled(n: number) {
  await vi.waitFor(() => {
    expect(qa('[data-testid^="erd-table-"]')).toHaveLength(n)
    expect(q('[data-testid="erd-canvas"]')?.dataset.layingOut).toBe('false')
  }, { timeout: 5000 })
}

async function exportAs(label: string) {
  q('[data-testid="erd-export"]')!.click()
  await flushPromises()
  const item = qa('.n-dropdown-option').find((e) => e.textContent?.includes(label))!
  item.querySelector('.n-dropdown-option-body')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
  await flushPromises()
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('layout', () => {
  it('sizes boxes from their longest line, within bounds', () => {
    const small = boxSize(tbl('public', 'a', [col('id')]))
    expect(small.width).toBe(BOX.minWidth)
    expect(small.height).toBe(BOX.header + BOX.row + BOX.padding)
    const wide = boxSize(tbl('public', 'a', [col('a_very_long_column_name_indeed', { type: 'character varying(255)' })]))
    expect(wide.width).toBeGreaterThan(BOX.minWidth)
    expect(boxSize(tbl('public', 'a', [col('x'.repeat(200))])).width).toBe(BOX.maxWidth)
    expect(boxSize(tbl('public', 'empty', [])).height).toBe(BOX.header + BOX.row + BOX.padding)
  })

  it('places every table without overlaps, referenced tables left of the tables referencing them', async () => {
    const d = shop()
    const l = await layoutDiagram(d)
    expect([...l.positions.keys()].sort()).toEqual(d.tables.map((t) => t.id).sort())
    const boxes = d.tables.map((t) => ({ ...l.positions.get(t.id)!, ...l.sizes.get(t.id)! }))
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true)
    expect(l.positions.get('public.customers')!.x).toBeLessThan(l.positions.get('public.orders')!.x)
    expect(l.positions.get('public.orders')!.x).toBeLessThan(l.positions.get('public.lines')!.x)
    expect((await layoutDiagram({ ...d, tables: [], edges: [] })).positions.size).toBe(0)
  })

  it('finds neighbours both ways and ranks search matches', () => {
    const d = shop()
    expect([...neighbours(d, 'public.orders')].sort()).toEqual(['public.customers', 'public.lines', 'public.orders'])
    expect([...neighbours(d, 'public.notes')]).toEqual(['public.notes'])
    expect(searchTables(d, 'OR').map((t) => t.id)).toEqual(['public.orders'])
    expect(searchTables(d, 'es').map((t) => t.id)).toEqual(['public.lines', 'public.notes'])
    expect(searchTables(d, 'public.c').map((t) => t.id)).toEqual(['public.customers'])
    expect(searchTables(d, '  ')).toEqual([])
  })

  it('picks all schemas when they fit, else the largest', () => {
    expect(defaultSchemas([{ name: 'a', tables: 10 }, { name: 'b', tables: 20 }])).toEqual(['a', 'b'])
    expect(defaultSchemas([{ name: 'a', tables: 300 }, { name: 'b', tables: 200 }])).toEqual(['a'])
    expect(defaultSchemas([])).toEqual([])
  })
})

describe('diagramSVG', () => {
  it('draws every box, column and edge, escaping names and marking dropped objects', async () => {
    const d = shop()
    d.tables[3] = tbl('public', 'a<b>&"c"', [col('x', { mark: 'dropped' })], { mark: 'dropped' })
    const l = await layoutDiagram(d)
    const svg = diagramSVG(d, l)
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
    expect(doc.documentElement.tagName).toBe('svg')
    const texts = Array.from(doc.querySelectorAll('text')).map((t) => t.textContent)
    expect(texts).toContain('public.customers')
    expect(texts).toContain('public.orders (changed)')
    expect(texts).toContain('public.a<b>&"c" (dropped)')
    expect(texts).toContain('id *')
    expect(texts).toContain('PK/FK')
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot;')
    const paths = Array.from(doc.querySelectorAll('path[marker-end]'))
    expect(paths.map((p) => p.querySelector('title')?.textContent?.split(':')[0])).toEqual(['orders_customer_id_fkey', 'lines_order_id_fkey'])
    expect(paths[1]!.getAttribute('stroke')).toBe('#18a058')
    expect(doc.querySelector('rect[stroke-dasharray]')).not.toBeNull()
    const w = Number(doc.documentElement.getAttribute('width'))
    const right = Math.max(...d.tables.map((t) => l.positions.get(t.id)!.x + l.sizes.get(t.id)!.width))
    expect(w).toBeGreaterThanOrEqual(right)
  })
})

describe('ErdEdge', () => {
  it('carries the constraint in its test id, its mark, and dims when another table is focused', async () => {
    const focus = ref('')
    const Host = defineComponent({
      setup() {
        provide(highlightKey, { focus, near: ref(new Set<string>()), matches: ref(new Set<string>()), detail: ref(true) })
        const e = edge('public.orders', 'public.customers', 'orders_customer_id_fkey', { mark: 'created' })
        return () =>
          h('svg', [
            h(ErdEdge, { id: e.id, source: e.to, target: e.from, sourceX: 0, sourceY: 0, targetX: 100, targetY: 50, sourcePosition: 'right', targetPosition: 'left', markerStart: 'url(#m)', markerEnd: '', data: { edge: e }, type: 'fk', events: {},
              sourceNode: { computedPosition: { x: 0, y: 0 }, dimensions: { width: 160, height: 80 } }, targetNode: { computedPosition: { x: 300, y: 40 }, dimensions: { width: 160, height: 80 } } } as never),
          ])
      },
    })
    mountWithProviders(Host)
    const g = q('[data-testid="erd-edge-orders_customer_id_fkey"]')!
    expect(g.dataset.mark).toBe('created')
    // from the referenced box's right side, at its title row, to the referencing box's left side
    expect(g.querySelector('path')?.getAttribute('d')).toMatch(/^M ?160,15\b.*300,55$/)
    expect(g.getAttribute('class')).not.toContain('dim')
    focus.value = 'public.notes'
    await flushPromises()
    expect(g.getAttribute('class')).toContain('dim')
    focus.value = 'public.customers'
    await flushPromises()
    expect(g.getAttribute('class')).toContain('near')
  })
})

describe('ErdTableNode', () => {
  it('draws column lines instead of text when zoomed out too far to read them', async () => {
    const detail = ref(false)
    const t = tbl('public', 'orders', [col('id', { pk: true }), col('customer_id', { fk: true })], { mark: 'changed', comment: 'what was bought' })
    const Host = defineComponent({
      setup() {
        provide(highlightKey, { focus: ref(''), near: ref(new Set<string>()), matches: ref(new Set<string>()), detail })
        return () => h(ErdTableNode, { id: t.id, data: { table: t } })
      },
    })
    mountWithProviders(Host)
    const box = q('[data-testid="erd-table-public.orders"]')!
    expect(box.title).toBe('public.orders — what was bought')
    expect(box.querySelector('[data-testid="erd-mark"]')?.textContent).toBe('changed')
    expect(qa('[data-testid^="erd-col-"]')).toHaveLength(0)
    expect(box.querySelector('.lines')).not.toBeNull()
    detail.value = true
    await flushPromises()
    expect(qa('[data-testid^="erd-col-"]').map((e) => e.dataset.testid)).toEqual(['erd-col-public.orders.id', 'erd-col-public.orders.customer_id'])
    expect(box.querySelector('.lines')).toBeNull()
  })
})

describe('ErdDiagram', () => {
  it('shows an empty state when there is no table', async () => {
    mountWithProviders(ErdDiagram, { diagram: { ...shop(), tables: [], edges: [] }, emptyTitle: 'No tables here', emptyNext: 'Add one.' })
    await flushPromises()
    expect(q('[data-testid="erd-empty"]')?.textContent).toContain('No tables here')
    expect(q('[data-testid="erd-canvas"]')).toBeNull()
  })

  it('draws boxes with PK/FK markers, types and marks; search and click highlight', async () => {
    const onSelect = vi.fn()
    mountWithProviders(ErdDiagram, { diagram: shop(), onSelect })
    await settled(4)
    expect(q('[data-testid="erd-counts"]')?.textContent).toContain('4 tables, 2 foreign keys')
    const lines = q('[data-testid="erd-table-public.lines"]')!
    expect(lines.dataset.mark).toBe('created')
    expect(lines.querySelector('[data-testid="erd-mark"]')?.textContent).toBe('created')
    const key = q('[data-testid="erd-col-public.lines.order_id"]')!
    expect(key.textContent).toContain('PK')
    expect(key.textContent).toContain('bigint')
    expect(key.textContent).toContain('*')
    expect(q('[data-testid="erd-col-public.orders.customer_id"]')?.textContent).toContain('FK')
    expect(q('[data-testid="erd-col-public.notes.body"]')?.dataset.mark).toBe('dropped')

    // a click focuses the table and its neighbours and is reported
    ;(q('[data-testid="erd-table-public.orders"]')!.closest('.vue-flow__node') as HTMLElement).click()
    await flushPromises()
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 'public.orders' }))
    expect(q('[data-testid="erd-table-public.orders"]')?.dataset.state).toBe('focus')
    expect(q('[data-testid="erd-table-public.customers"]')?.dataset.state).toBe('near')
    expect(q('[data-testid="erd-table-public.notes"]')?.dataset.state).toBe('dim')

    const input = q('[data-testid="erd-search"] input') as HTMLInputElement
    input.value = 'note'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid="erd-search-count"]')?.textContent).toBe('1 match')
    expect(q('[data-testid="erd-table-public.notes"]')?.dataset.state).toBe('match')
  })

  it('exports the diagram as SVG', async () => {
    const onExport = vi.fn()
    mountWithProviders(ErdDiagram, { diagram: shop(), onExport })
    await settled(4)
    await exportAs('SVG')
    await vi.waitFor(() => expect(onExport).toHaveBeenCalled())
    const [format, data] = onExport.mock.calls[0]!
    expect(format).toBe('svg')
    expect(data).toContain('<svg')
    expect(data).toContain('public.customers')
  })
})

describe('DatabaseDiagram', () => {
  it('loads the latest snapshot’s diagram and saves an export through Go', async () => {
    mocked.databaseDiagram.mockResolvedValue(wrap(shop()))
    mocked.chooseDiagramPath.mockResolvedValue('/tmp/shop.svg')
    mocked.saveDiagram.mockResolvedValue(undefined)
    const onEdit = vi.fn()
    mountWithProviders(DatabaseDiagram, { databaseId: 'd1', snapshotId: 's1', onEdit })
    await settled(4)
    expect(mocked.databaseDiagram).toHaveBeenCalledTimes(1)
    expect(mocked.databaseDiagram).toHaveBeenCalledWith('d1', [])
    expect(q('[data-testid="db-diagram-trimmed"]')).toBeNull()
    ;(q('[data-testid="erd-table-public.orders"]')!.closest('.vue-flow__node') as HTMLElement).dispatchEvent(new MouseEvent('dblclick', { bubbles: true }))
    await flushPromises()
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ schema: 'public', name: 'orders' }))

    await exportAs('SVG')
    await vi.waitFor(() => expect(mocked.saveDiagram).toHaveBeenCalled())
    expect(mocked.chooseDiagramPath).toHaveBeenCalledWith('d1', 'svg')
    const [path, format, data] = mocked.saveDiagram.mock.calls[0]!
    expect([path, format]).toEqual(['/tmp/shop.svg', 'svg'])
    expect(data).toContain('public.orders')
    await vi.waitFor(() => expect(document.body.textContent).toContain('Exported the diagram to /tmp/shop.svg'))

    // a cancelled dialog writes nothing
    mocked.chooseDiagramPath.mockResolvedValue('')
    await exportAs('SVG')
    await flushPromises()
    expect(mocked.saveDiagram).toHaveBeenCalledTimes(1)
  })

  it('draws only the largest schema of a big database, and says so', async () => {
    const big: Diagram = { ...shop(), schemas: [{ name: 'public', tables: 4 }, { name: 'archive', tables: 900 }], shown: ['archive', 'public'] }
    mocked.databaseDiagram.mockResolvedValueOnce(wrap(big)).mockResolvedValueOnce(wrap({ ...big, shown: ['archive'], tables: [], edges: [] }))
    mountWithProviders(DatabaseDiagram, { databaseId: 'd1', snapshotId: 's1' })
    await vi.waitFor(() => expect(q('[data-testid="db-diagram-trimmed"]')).not.toBeNull())
    expect(mocked.databaseDiagram).toHaveBeenLastCalledWith('d1', ['archive'])
    expect(q('[data-testid="db-diagram-trimmed"]')?.textContent).toContain('only schema archive')
    expect(q('[data-testid="erd-empty"]')?.textContent).toContain('No tables in the chosen schemas')
  })

  it('shows why there is no diagram', async () => {
    mocked.databaseDiagram.mockRejectedValue(new api.ApiError({ message: 'database hr has not been synced yet; sync it to draw its diagram' }))
    mountWithProviders(DatabaseDiagram, { databaseId: 'd1' })
    await vi.waitFor(() => expect(q('[data-testid="db-diagram-error"]')?.textContent).toContain('not been synced yet'))
  })
})

describe('EditorDiagram', () => {
  it('draws the session’s model, redraws after an edit and selects the clicked table for editing', async () => {
    mountWithProviders(EditorDiagram)
    const store = useSchemaEditStore()
    mocked.editorDiagram.mockResolvedValue(wrap(shop()))
    store.state = { sessionId: 'edit-1', databaseId: 'd1', databaseName: 'shop', snapshotId: 's1', takenAt: '', production: false, problems: [],
      model: { schemas: [], types: [], suggestions: [], canUndo: false, canRedo: false, ops: 0 } }
    await settled(4)
    expect(mocked.editorDiagram).toHaveBeenCalledWith('edit-1', [])
    ;(q('[data-testid="erd-table-public.orders"]')!.closest('.vue-flow__node') as HTMLElement).click()
    await flushPromises()
    expect(store.selected).toBe('public.orders')
    // a dropped table cannot be selected for editing
    const d = shop()
    d.tables[3]!.mark = 'dropped'
    mocked.editorDiagram.mockResolvedValue(wrap(d))
    store.state = { ...store.state, model: { ...store.state.model, ops: 1 } }
    await vi.waitFor(() => expect(q('[data-testid="erd-table-public.notes"]')?.dataset.mark).toBe('dropped'))
    expect(mocked.editorDiagram).toHaveBeenCalledTimes(2)
    ;(q('[data-testid="erd-table-public.notes"]')!.closest('.vue-flow__node') as HTMLElement).click()
    await flushPromises()
    expect(store.selected).toBe('public.orders')
  })
})

describe('SchemaEditorModal diagram view', () => {
  it('switches between the tables and the diagram; a double-click goes back to the table, selected', async () => {
    mocked.closeSchemaEditor.mockResolvedValue(undefined)
    mocked.openSchemaEditor.mockResolvedValue({ sessionId: 'edit-1', databaseId: 'd1', databaseName: 'shop', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', production: false, problems: [],
      model: { schemas: [{ name: 'public', key: 'schema:public', mark: '', dropped: [], tables: [
        { schema: 'public', name: 'customers', key: 'table:public.customers', mark: '', comment: null, partitioned: false, columns: [], indexes: [], constraints: [], droppedColumns: [] },
        { schema: 'public', name: 'orders', key: 'table:public.orders', mark: '', comment: null, partitioned: false, columns: [], indexes: [], constraints: [], droppedColumns: [] },
      ] }], types: [], suggestions: [], canUndo: false, canRedo: false, ops: 0 } })
    mocked.editorDiagram.mockResolvedValue(wrap(shop()))
    const Host = defineComponent({ setup: () => () => h(SchemaEditorModal, { show: true, databaseId: 'd1' }) })
    mountWithProviders(Host)
    await vi.waitFor(() => expect(q('[data-testid="schemaedit"]')).not.toBeNull())
    expect(q('[data-testid="schemaedit-diagram"]')).toBeNull()
    ;(q('[data-testid="schemaedit-view-diagram"] input') as HTMLInputElement).click()
    await settled(4)
    expect(mocked.editorDiagram).toHaveBeenCalledWith('edit-1', [])
    ;(q('[data-testid="erd-table-public.orders"]')!.closest('.vue-flow__node') as HTMLElement).dispatchEvent(new MouseEvent('dblclick', { bubbles: true }))
    await flushPromises()
    expect(q('[data-testid="schemaedit-diagram"]')).toBeNull()
    expect(useSchemaEditStore().selected).toBe('public.orders')
  })
})
