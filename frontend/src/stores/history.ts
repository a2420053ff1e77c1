import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { Change, ChangeDetail } from '../api'

/**
 * The change history of the database page: its list and the change opened in the detail drawer.
 * It holds one database at a time; open() switches. Changes are written through issues.
 */
export const useHistoryStore = defineStore('history', () => {
  const databaseId = ref('')
  const items = ref<Change[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const refreshing = ref(false)
  const detail = ref<ChangeDetail | null>(null)
  const detailLoading = ref(false)
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

  return {
    databaseId,
    items,
    loaded,
    loading,
    refreshing,
    detail,
    detailLoading,
    open,
    refresh,
    select,
    closeDetail,
  }
})
