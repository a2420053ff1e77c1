import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { Database } from '../api'

export const useDatabasesStore = defineStore('databases', () => {
  const items = ref<Database[]>([])
  const loaded = ref(false)

  async function load() {
    items.value = await api.listDatabases('')
    loaded.value = true
  }

  /** replaceInstance swaps in the databases a sync of one instance returned. */
  function replaceInstance(instanceId: string, dbs: Database[]) {
    items.value = [...items.value.filter((d) => d.instanceId !== instanceId), ...dbs]
  }

  function dropInstance(instanceId: string) {
    items.value = items.value.filter((d) => d.instanceId !== instanceId)
  }

  async function assignProject(databaseId: string, projectId: string) {
    const i = items.value.findIndex((d) => d.id === databaseId)
    if (i < 0) return
    const old = items.value[i]!
    items.value.splice(i, 1, { ...old, projectId })
    try {
      const saved = await api.assignProject(databaseId, projectId)
      const j = items.value.findIndex((d) => d.id === databaseId)
      if (j >= 0) items.value.splice(j, 1, saved)
      return saved
    } catch (e) {
      const j = items.value.findIndex((d) => d.id === databaseId)
      if (j >= 0) items.value.splice(j, 1, old)
      throw e
    }
  }

  return { items, loaded, load, replaceInstance, dropInstance, assignProject }
})
