import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { h, defineComponent } from 'vue'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  openSchemaEditor: vi.fn(),
  applyEdit: vi.fn(),
  undoEdit: vi.fn(),
  redoEdit: vi.fn(),
  discardEdits: vi.fn(),
  previewEdits: vi.fn(),
  closeSchemaEditor: vi.fn(),
}))

import * as api from '../../api'
import { ApiError } from '../../api'
import type { EditColumn, EditorState, EditTable } from '../../api'
import SchemaEditorModal from './SchemaEditorModal.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]

const col = (name: string, extra: Partial<EditColumn> = {}): EditColumn => ({
  name, key: `column:public.t.${name}`, mark: '', type: 'integer', default: null, notNull: false, identity: '', generated: '', comment: null, primaryKey: false, foreignKey: false, ...extra,
})
const tbl = (name: string, columns: EditColumn[], extra: Partial<EditTable> = {}): EditTable => ({
  schema: 'public', name, key: `table:public.${name}`, mark: '', comment: null, partitioned: false, columns, indexes: [], constraints: [], droppedColumns: [], ...extra,
})
function stateOf(tables: EditTable[], extra: Partial<EditorState['model']> = {}, problems: EditorState['problems'] = [], dropped: string[] = []): EditorState {
  return {
    sessionId: 'edit-1', databaseId: 'd1', databaseName: 'hr_test', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', production: false,
    model: { schemas: [{ name: 'public', key: 'schema:public', mark: '', tables, dropped }], types: [], suggestions: ['bigint', 'text'], canUndo: false, canRedo: false, ops: 0, ...extra },
    problems,
  }
}

function mountEditor(onUse: (sql: string) => void = () => {}, focus?: string) {
  const Host = defineComponent({ setup: () => () => h(SchemaEditorModal, { show: true, databaseId: 'd1', focus, onUse }) })
  return mountWithProviders(Host)
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  mocked.closeSchemaEditor.mockResolvedValue(undefined)
})

describe('SchemaEditorModal', () => {
  it('shows the tree with marks, the grid, dropped columns and tables, and the empty states', async () => {
    const t1 = tbl('t1', [col('id', { mark: 'created', primaryKey: true }), col('name', { mark: 'created', type: 'text' })], { mark: 'created' })
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('emp', [col('a')], { droppedColumns: ['b'], mark: 'changed' }), t1], { ops: 3, canUndo: true }, [], ['old']))
    const w = mountEditor()
    await flushPromises()
    expect(q('[data-testid="schemaedit-node-public.t1"] [data-testid="edit-mark"]')?.textContent).toBe('created')
    expect(q('[data-testid="schemaedit-dropped-public.old"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-col-a"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-dropped-col-b"]')?.textContent).toContain('dropped')
    expect(q('[data-testid="schemaedit-op-count"]')?.textContent).toBe('3 edits')
    q('[data-testid="schemaedit-node-public.t1"]')!.click()
    await flushPromises()
    expect(qa('[data-testid^="schemaedit-col-"]').map((e) => e.dataset.testid)).toEqual(['schemaedit-col-id', 'schemaedit-col-name'])
    w.unmount()
  })

  it('opens on the table it was asked to focus (the SQL editor’s Open in schema editor)', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('a', [col('x')]), tbl('b', [col('y')])]))
    const w = mountEditor(() => {}, 'public.b')
    await flushPromises()
    expect(q('[data-testid="schemaedit-col-y"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-col-x"]')).toBeNull()
    w.unmount()
  })

  it('a table without columns has an empty state; a refused edit shows its message', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('e', [])]))
    mocked.applyEdit.mockRejectedValue(new ApiError({ message: 'table public.e already has a column new_column', field: 'name' }))
    const w = mountEditor()
    await flushPromises()
    expect(q('[data-testid="schemaedit-columns-empty"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-indexes-empty"]') ?? q('[data-testid="schemaedit-table-tabs"]')).not.toBeNull()
    q('[data-testid="schemaedit-add-column"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-error"]')?.textContent).toContain('already has a column new_column')
    w.unmount()
  })

  it('a problem shows at its field and blocks Preview issue', async () => {
    const problems = [{ op: 0, object: 'column:public.t.a', field: 'type', message: 'column a of public.t uses type public.mood, which is dropped' }]
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('t', [col('a', { mark: 'changed' })])], { ops: 1, canUndo: true }, problems))
    const w = mountEditor()
    await flushPromises()
    const p = q('[data-testid="schemaedit-col-a"] [data-testid="edit-problem"]')
    expect(p?.textContent).toContain('which is dropped')
    expect(p?.dataset.field).toBe('type')
    expect(q('[data-testid="schemaedit-problem-count"]')?.textContent).toBe('1 problem')
    expect((q('[data-testid="schemaedit-use"]') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
  })

  it('editing a name in the grid stages a rename; Preview issue hands the migration over', async () => {
    mocked.openSchemaEditor.mockResolvedValue(stateOf([tbl('t', [col('a')])]))
    mocked.applyEdit.mockResolvedValue(stateOf([tbl('t', [col('b', { mark: 'changed', key: 'column:public.t.b' })])], { ops: 1, canUndo: true }))
    const sql = 'ALTER TABLE public.t RENAME COLUMN a TO b;\n'
    mocked.previewEdits.mockResolvedValue({ sql, statements: [{ sql, hazards: [{ type: 'breaks_clients', message: 'clients using a break' }], transactional: true, object: '' }], renames: [{ kind: 'column', from: 'a', to: 'b' }], warnings: [], online: false, problems: [] })
    const used: string[] = []
    const w = mountEditor((s) => used.push(s))
    await flushPromises()
    const input = q('[data-testid="schemaedit-col-a"] [data-testid="col-name"] input') as HTMLInputElement
    input.value = 'b'
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(mocked.applyEdit).toHaveBeenCalledWith('edit-1', { op: 'rename_column', schema: 'public', table: 't', name: 'a', to: 'b' })
    expect(q('[data-testid="schemaedit-col-b"] [data-testid="edit-mark"]')?.textContent).toBe('changed')
    q('[data-testid="schemaedit-preview-toggle"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-preview-renames"]')?.textContent).toContain('column a → b')
    expect(q('[data-testid="hazard-badge"]')).not.toBeNull()
    q('[data-testid="schemaedit-use"]')!.click()
    await flushPromises()
    expect(used).toEqual([sql])
    w.unmount()
  })

  it('an open failure shows the PostgreSQL message and SQLSTATE', async () => {
    mocked.openSchemaEditor.mockRejectedValue(new ApiError({ message: 'password authentication failed for user "x"', sqlstate: '28P01' }))
    const w = mountEditor()
    await flushPromises()
    expect(q('[data-testid="schemaedit-open-error"]')?.textContent).toContain('password authentication failed')
    expect(q('[data-testid="edit-error-sqlstate"]')?.textContent).toBe('SQLSTATE 28P01')
    w.unmount()
  })
})
