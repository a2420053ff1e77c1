import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { ApiError, ApplyChangeRequest, ApplyCheck, Change, ChangeDetail } from '../api'

/**
 * The change history of the database page: its list, the change opened in the detail drawer and
 * the state of applying a change. It holds one database at a time; open() switches.
 */
export const useHistoryStore = defineStore('history', () => {
  const databaseId = ref('')
  const items = ref<Change[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const refreshing = ref(false)
  const detail = ref<ChangeDetail | null>(null)
  const detailLoading = ref(false)
  const applying = ref(false)
  const applyError = ref<ApiError | null>(null)
  /** counts switches so that a late answer for a previous database is dropped */
  let generation = 0

  /** open shows a database's history as the workspace knows it (no server round trip). */
  async function open(id: string) {
    generation++
    const gen = generation
    databaseId.value = id
    items.value = []
    loaded.value = false
    detail.value = null
    applyError.value = null
    loading.value = true
    try {
      const list = await api.listChanges(id)
      if (gen !== generation) return
      items.value = list
      loaded.value = true
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  /** refresh reads the target's history and adds rows written elsewhere (another machine, CI). */
  async function refresh() {
    if (!databaseId.value) return
    const gen = generation
    refreshing.value = true
    try {
      const list = await api.reconcileChanges(databaseId.value)
      if (gen !== generation) return
      items.value = list
      loaded.value = true
    } finally {
      if (gen === generation) refreshing.value = false
    }
  }

  async function select(changeId: string) {
    const gen = generation
    detailLoading.value = true
    try {
      const d = await api.getChange(databaseId.value, changeId)
      if (gen === generation) detail.value = d
    } finally {
      detailLoading.value = false
    }
  }

  function closeDetail() {
    detail.value = null
  }

  function check(req: Omit<ApplyChangeRequest, 'databaseId' | 'confirm'>): Promise<ApplyCheck> {
    return api.checkChange({ ...req, databaseId: databaseId.value, confirm: false })
  }

  /**
   * apply applies a change to the open database. On failure the error (with its SQLSTATE) is kept
   * in applyError and rethrown; the list is reloaded either way (a failed attempt is recorded).
   */
  async function apply(req: Omit<ApplyChangeRequest, 'databaseId'>): Promise<Change> {
    const id = databaseId.value
    const gen = generation
    applying.value = true
    applyError.value = null
    try {
      return await api.applyChange({ ...req, databaseId: id })
    } catch (e) {
      if (gen === generation) applyError.value = api.toApiError(e)
      throw e
    } finally {
      applying.value = false
      if (gen === generation) {
        try {
          items.value = await api.listChanges(id)
        } catch {
          // the list stays as it was; the apply's own outcome is what the user needs
        }
      }
    }
  }

  function clearApplyError() {
    applyError.value = null
  }

  return {
    databaseId,
    items,
    loaded,
    loading,
    refreshing,
    detail,
    detailLoading,
    applying,
    applyError,
    open,
    refresh,
    select,
    closeDetail,
    check,
    apply,
    clearApplyError,
  }
})
