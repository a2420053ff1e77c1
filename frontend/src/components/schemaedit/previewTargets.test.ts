import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { h, defineComponent } from 'vue'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  openSchemaEditor: vi.fn(),
  applyEdit: vi.fn(),
  previewEdits: vi.fn(),
  previewEditTargets: vi.fn(),
  closeSchemaEditor: vi.fn(),
}))

import * as api from '../../api'
import { targetsPreview } from '../../api'
import type { EditorState } from '../../api'
import SchemaEditorModal from './SchemaEditorModal.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel) as HTMLElement | null

const state = (ops: number): EditorState => ({
  sessionId: 'edit-1', databaseId: 'a', databaseName: 'shop_test', snapshotId: 's1', takenAt: '2026-01-01T00:00:00Z', production: false,
  model: { schemas: [{ name: 'public', key: 'schema:public', mark: '', tables: [], dropped: [] }], types: [], suggestions: [], canUndo: ops > 0, canRedo: false, ops },
  problems: [],
})
const sqlA = 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\n'
const sqlB = 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\nCOMMENT ON TABLE public.orders IS NULL;\n'

function mountEditor(onUseTargets: (per: Record<string, string>) => void) {
  const Host = defineComponent({ setup: () => () => h(SchemaEditorModal, { show: true, databaseId: 'a', targets: ['a', 'b'], onUseTargets }) })
  return mountWithProviders(Host)
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  mocked.closeSchemaEditor.mockResolvedValue(undefined)
  mocked.openSchemaEditor.mockResolvedValue(state(1))
  mocked.previewEdits.mockResolvedValue({ sql: sqlA, statements: [{ sql: sqlA, hazards: [], transactional: true, object: '' }], renames: [], warnings: [], online: false, problems: [] })
})

describe('SchemaEditorModal on several databases', () => {
  it('previews each database in its own tab and hands nothing over while one has no migration', async () => {
    mocked.previewEditTargets.mockResolvedValue(targetsPreview({ ok: false, targets: [
      { databaseId: 'a', databaseName: 'shop_test', sql: sqlA, statements: [{ sql: sqlA }] },
      { databaseId: 'b', databaseName: 'shop_old', error: 'shop_old: operation 1 (rename_column): table public.orders has no column "note"', errorOp: 1 },
    ] }))
    const used: Record<string, string>[] = []
    const w = mountEditor((p) => used.push(p))
    await flushPromises()
    q('[data-testid="schemaedit-use"]')!.click()
    await flushPromises()
    expect(mocked.previewEditTargets).toHaveBeenCalledWith('edit-1', ['a', 'b'], false)
    expect(q('[data-testid="schemaedit-preview-targets"]')?.textContent).toContain('on 2 databases')
    expect(q('[data-testid="schemaedit-target-tab-shop_test"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-target-tab-shop_old"]')).not.toBeNull()
    expect(q('[data-testid="schemaedit-targets-failed"]')?.textContent).toContain('1 of 2 databases have no migration')
    expect(used).toEqual([])
    w.unmount()
  })

  it('Preview issue hands one migration per database over when every database has one', async () => {
    mocked.previewEditTargets.mockResolvedValue(targetsPreview({ ok: true, targets: [
      { databaseId: 'a', databaseName: 'shop_test', sql: sqlA, statements: [{ sql: sqlA }] },
      { databaseId: 'b', databaseName: 'shop_prod', sql: sqlB, statements: [{ sql: 'x' }, { sql: 'y' }] },
    ] }))
    const used: Record<string, string>[] = []
    const w = mountEditor((p) => used.push(p))
    await flushPromises()
    q('[data-testid="schemaedit-use"]')!.click()
    await flushPromises()
    expect(used).toEqual([{ a: sqlA, b: sqlB }])
    w.unmount()
  })

  it('keeps the tab shown when the plans are made again (Online turned on for a production database)', async () => {
    mocked.previewEditTargets.mockImplementation(async (_s, _ids, online) => targetsPreview({ ok: true, online, targets: [
      { databaseId: 'a', databaseName: 'shop_test', sql: sqlA, statements: [{ sql: sqlA }] },
      { databaseId: 'b', databaseName: 'shop_prod', production: true, sql: online ? `SET lock_timeout = '3000ms';\n${sqlB}` : sqlB, statements: [{ sql: 'x' }, { sql: 'y' }] },
    ] }))
    const w = mountEditor(() => {})
    await flushPromises()
    q('[data-testid="schemaedit-preview-toggle"]')!.click()
    await flushPromises()
    expect(mocked.previewEditTargets).toHaveBeenLastCalledWith('edit-1', ['a', 'b'], true)
    expect(q('[data-testid="schemaedit-online"]')?.classList.contains('n-switch--active')).toBe(true)
    q('[data-testid="schemaedit-target-tab-shop_prod"]')!.click()
    await flushPromises()
    expect(q('[data-testid="schemaedit-target-sql-shop_prod"]')).not.toBeNull()
    q('[data-testid="schemaedit-online"]')!.click()
    await flushPromises()
    expect(mocked.previewEditTargets).toHaveBeenLastCalledWith('edit-1', ['a', 'b'], false)
    expect(q('[data-testid="schemaedit-target-sql-shop_prod"]')).not.toBeNull()
    w.unmount()
  })
})
