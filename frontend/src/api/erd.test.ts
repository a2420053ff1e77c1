import { beforeEach, describe, expect, it, vi } from 'vitest'

// The diagram facade over the generated bindings, replaced by fakes.
vi.mock('../../wailsjs/go/app/SchemaService', () => ({ Diagram: vi.fn(), ChooseDiagramPath: vi.fn(), SaveDiagram: vi.fn() }))
vi.mock('../../wailsjs/go/app/SchemaEditService', () => ({ Diagram: vi.fn() }))

import * as SchemaService from '../../wailsjs/go/app/SchemaService'
import * as SchemaEditService from '../../wailsjs/go/app/SchemaEditService'
import * as api from './erd'
import { ApiError } from './errors'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('diagram facade', () => {
  it('turns the nil slices Go sends as null into arrays', async () => {
    m(SchemaService.Diagram).mockResolvedValue({
      databaseId: 'd1', snapshotId: 's1', takenAt: 't',
      diagram: { schemas: null, shown: null, tables: [{ id: 'public.t', columns: null }], edges: [{ id: 'public.t/f', columns: null, refColumns: null }], external: 2 },
    })
    const d = await api.databaseDiagram('d1')
    expect(SchemaService.Diagram).toHaveBeenCalledWith('d1', [])
    expect(d.diagram.schemas).toEqual([])
    expect(d.diagram.shown).toEqual([])
    expect(d.diagram.tables[0]!.columns).toEqual([])
    expect(d.diagram.edges[0]!.columns).toEqual([])
    expect(d.diagram.edges[0]!.refColumns).toEqual([])
    expect(d.diagram.external).toBe(2)
    m(SchemaEditService.Diagram).mockResolvedValue({ diagram: null })
    const e = await api.editorDiagram('edit-1', ['sales'])
    expect(SchemaEditService.Diagram).toHaveBeenCalledWith('edit-1', ['sales'])
    expect(e.diagram.tables).toEqual([])
  })

  it('passes exports through and brings Go errors as ApiError', async () => {
    m(SchemaService.ChooseDiagramPath).mockResolvedValue('/tmp/d.png')
    expect(await api.chooseDiagramPath('d1', 'png')).toBe('/tmp/d.png')
    m(SchemaService.SaveDiagram).mockRejectedValue(JSON.stringify({ message: 'the diagram to export is not a PNG image', field: 'data' }))
    const err = await api.saveDiagram('/tmp/d.png', 'png', 'xx').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.field).toBe('data')
    expect(SchemaService.SaveDiagram).toHaveBeenCalledWith('/tmp/d.png', 'png', 'xx')
  })
})
