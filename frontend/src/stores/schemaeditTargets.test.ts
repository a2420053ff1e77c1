import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  openSchemaEditor: vi.fn(),
  previewEdits: vi.fn(),
  previewEditTargets: vi.fn(),
  closeSchemaEditor: vi.fn(),
}))

import * as api from '../api'
import { ApiError, editorState, targetsPreview } from '../api'
import type { TargetsPreview } from '../api'
import { useSchemaEditStore } from './schemaedit'
import { useEditTargetsStore } from './schemaeditTargets'

const mocked = vi.mocked(api)

const state = editorState({ sessionId: 'edit-1', databaseId: 'a', databaseName: 'shop_test', model: { schemas: [], ops: 1 } })

const planned = (ok: boolean): TargetsPreview =>
  targetsPreview({
    online: false,
    ok,
    targets: [
      { databaseId: 'a', databaseName: 'shop_test', sql: 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\n', statements: [{ sql: 'ALTER TABLE public.orders RENAME COLUMN note TO remark' }], renames: null, warnings: null, problems: null, error: '' },
      ok
        ? { databaseId: 'b', databaseName: 'shop_prod', sql: 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\nCOMMENT ON TABLE public.orders IS NULL;\n', statements: [{ sql: 'x' }, { sql: 'y' }], error: '' }
        : { databaseId: 'b', databaseName: 'shop_prod', sql: '', statements: null, error: 'shop_prod: operation 1 (rename_column): table public.orders has no column "note"', errorOp: 1 },
    ],
  })

describe('schema editor targets store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.resetAllMocks()
    mocked.previewEdits.mockResolvedValue({ sql: '', statements: [], renames: [], warnings: [], online: false, problems: [] })
  })

  it('normalises what Go sends: nil slices become arrays', () => {
    const r = planned(false)
    expect(r.targets[0]!.renames).toEqual([])
    expect(r.targets[0]!.problems).toEqual([])
    expect(r.targets[1]!.statements).toEqual([])
    expect(r.targets[1]!.errorOp).toBe(1)
  })

  it('is one target until several are set, without duplicates', () => {
    const t = useEditTargetsStore()
    t.setTargets(['a'])
    expect(t.multi).toBe(false)
    t.setTargets(['a', 'b', 'a'])
    expect(t.targets).toEqual(['a', 'b'])
    expect(t.multi).toBe(true)
    expect(t.active).toBe('a')
  })

  it('plans the session on every target and hands one SQL per database only when all have one', async () => {
    const edit = useSchemaEditStore()
    const t = useEditTargetsStore()
    edit.state = state
    t.setTargets(['a', 'b'])
    mocked.previewEditTargets.mockResolvedValueOnce(planned(false))
    const r = await t.refresh()
    expect(mocked.previewEditTargets).toHaveBeenCalledWith('edit-1', ['a', 'b'], false)
    expect(r?.ok).toBe(false)
    expect(t.perDatabase).toBeNull()
    expect(t.failed.map((f) => f.databaseName)).toEqual(['shop_prod'])

    mocked.previewEditTargets.mockResolvedValueOnce(planned(true))
    await t.refresh()
    expect(t.perDatabase).toEqual({ a: 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\n', b: 'ALTER TABLE public.orders RENAME COLUMN note TO remark;\nCOMMENT ON TABLE public.orders IS NULL;\n' })
    expect(t.failed).toEqual([])
  })

  it('follows the edits while the preview is shown, and keeps the error of a failed call', async () => {
    const edit = useSchemaEditStore()
    const t = useEditTargetsStore()
    edit.state = state
    t.setTargets(['a', 'b'])
    mocked.previewEditTargets.mockResolvedValue(planned(true))
    edit.previewShown = true
    await nextTick()
    await nextTick()
    expect(mocked.previewEditTargets).toHaveBeenCalledTimes(1)
    mocked.previewEditTargets.mockRejectedValueOnce(new ApiError({ message: 'the editing session edit-1 is closed; open the schema editor again' }))
    edit.state = { ...state, model: { ...state.model, ops: 2 } }
    await nextTick()
    await vi.waitFor(() => expect(t.error?.message).toContain('is closed'))
    expect(mocked.previewEditTargets).toHaveBeenCalledTimes(2)
  })

  it('does not call Go for a single target', async () => {
    const edit = useSchemaEditStore()
    const t = useEditTargetsStore()
    edit.state = state
    t.setTargets(['a'])
    expect(await t.refresh()).toBeNull()
    expect(mocked.previewEditTargets).not.toHaveBeenCalled()
  })
})

describe('schema editor targets store: Online with a production target', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.resetAllMocks()
    mocked.previewEdits.mockResolvedValue({ sql: '', statements: [], renames: [], warnings: [], online: false, problems: [] })
  })

  const withProd = (online: boolean): TargetsPreview =>
    targetsPreview({ online, ok: true, targets: [
      { databaseId: 'a', databaseName: 'shop_test', sql: 'x;\n', statements: [{ sql: 'x' }] },
      { databaseId: 'b', databaseName: 'shop_prod', production: true, sql: 'y;\n', statements: [{ sql: 'y' }] },
    ] })

  it('turns Online on once for a production target and hands over the online plan', async () => {
    const edit = useSchemaEditStore()
    const t = useEditTargetsStore()
    edit.state = state
    t.setTargets(['a', 'b'])
    mocked.previewEditTargets.mockImplementation(async (_s, _ids, online) => withProd(online))
    const r = await t.refresh()
    expect(edit.online).toBe(true)
    expect(r?.online).toBe(true)
    expect(mocked.previewEditTargets).toHaveBeenLastCalledWith('edit-1', ['a', 'b'], true)
  })

  it('keeps the choice the user made of Online', async () => {
    const edit = useSchemaEditStore()
    const t = useEditTargetsStore()
    edit.state = state
    t.setTargets(['a', 'b'])
    mocked.previewEditTargets.mockImplementation(async (_s, _ids, online) => withProd(online))
    await t.chooseOnline(false)
    const r = await t.refresh()
    expect(edit.online).toBe(false)
    expect(r?.online).toBe(false)
  })
})
