import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { ApiError, CompareResult, CompareSide, CompareSideKind, CompareSnapshot } from '../api'

export type SideName = 'source' | 'target'

/** The file side is either a chosen .sql file or pasted SQL. */
export type FileMode = 'path' | 'paste'

export interface SideDraft extends CompareSide {
  fileMode: FileMode
  /** for a snapshot side: the database whose snapshots are listed */
  snapshotDatabaseId: string
}

export function draft(kind: CompareSideKind = 'database'): SideDraft {
  return { ...api.emptySide(kind), fileMode: 'path', snapshotDatabaseId: '' }
}

/** complete says whether a side names a schema (what Compare needs). */
export function complete(s: SideDraft): boolean {
  switch (s.kind) {
    case 'database':
      return s.databaseId !== ''
    case 'snapshot':
      return s.snapshotId !== ''
    case 'file':
      return s.fileMode === 'paste' ? s.sql.trim() !== '' : s.path !== ''
  }
  return false
}

/** toSide sends only what the side's kind uses. */
export function toSide(s: SideDraft): CompareSide {
  const out = api.emptySide(s.kind)
  if (s.kind === 'database') out.databaseId = s.databaseId
  else if (s.kind === 'snapshot') out.snapshotId = s.snapshotId
  else if (s.fileMode === 'paste') out.sql = s.sql
  else out.path = s.path
  return out
}

/** The Compare schemas page: the two sides, options, the last result or error. */
export const useCompareStore = defineStore('compare', () => {
  const source = ref<SideDraft>(draft())
  const target = ref<SideDraft>(draft())
  const online = ref(false)
  const includePrivileges = ref(false)
  const running = ref(false)
  const result = ref<CompareResult | null>(null)
  /** the source side the result was computed from (the pickers may have moved on since) */
  const comparedSource = ref<CompareSide | null>(null)
  const error = ref<ApiError | null>(null)
  const scratchInstanceId = ref('')
  const snapshots = ref<Record<string, CompareSnapshot[]>>({})

  const ready = computed(() => complete(source.value) && complete(target.value))
  /** the migration can be copied or saved: a plan that is not refused and does something */
  const canSave = computed(
    () => !!result.value && result.value.validation.status !== 'refused' && !result.value.identical && result.value.script !== '',
  )

  function side(name: SideName) {
    return name === 'source' ? source : target
  }

  /** compareWith preselects a database as the source (the database page's "Compare with…"). */
  function compareWith(databaseId: string) {
    source.value = { ...draft('database'), databaseId }
    result.value = null
    error.value = null
  }

  function swap() {
    const s = source.value
    source.value = target.value
    target.value = s
  }

  async function run() {
    if (!ready.value || running.value) return
    running.value = true
    error.value = null
    try {
      const src = toSide(source.value)
      result.value = await api.compareSchemas({
        source: src,
        target: toSide(target.value),
        online: online.value,
        includePrivileges: includePrivileges.value,
      })
      comparedSource.value = src
    } catch (e) {
      result.value = null
      comparedSource.value = null
      error.value = api.toApiError(e)
    } finally {
      running.value = false
    }
  }

  async function pickFile(name: SideName) {
    const p = await api.pickSchemaFile()
    if (p) side(name).value = { ...side(name).value, kind: 'file', fileMode: 'path', path: p }
    return p
  }

  async function loadSnapshots(databaseId: string, force = false) {
    if (!databaseId) return []
    if (!force && snapshots.value[databaseId]) return snapshots.value[databaseId]!
    const list = await api.listSnapshots(databaseId)
    snapshots.value = { ...snapshots.value, [databaseId]: list }
    return list
  }

  async function loadSettings() {
    scratchInstanceId.value = (await api.compareSettings()).scratchInstanceId
  }

  async function setScratch(instanceId: string) {
    scratchInstanceId.value = (await api.setScratchInstance(instanceId)).scratchInstanceId
  }

  /** save writes the migration through the native save dialog; '' when cancelled. */
  async function save() {
    if (!canSave.value) return ''
    return api.saveMigration(result.value!.script, 'migration.sql')
  }

  async function copy() {
    if (!canSave.value) return
    await api.copyText(result.value!.script)
  }

  return {
    source,
    target,
    online,
    includePrivileges,
    running,
    result,
    comparedSource,
    error,
    scratchInstanceId,
    snapshots,
    ready,
    canSave,
    compareWith,
    swap,
    run,
    pickFile,
    loadSnapshots,
    loadSettings,
    setScratch,
    save,
    copy,
  }
})
