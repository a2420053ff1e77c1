import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { Instance, InstanceInput } from '../api'
import { useDatabasesStore } from './databases'

export const useInstancesStore = defineStore('instances', () => {
  const items = ref<Instance[]>([])
  const loaded = ref(false)
  /** ids of instances with a sync in flight */
  const syncing = ref<Set<string>>(new Set())

  async function load() {
    items.value = await api.listInstances()
    loaded.value = true
  }

  async function create(input: InstanceInput) {
    const inst = await api.createInstance(input)
    items.value = [...items.value, inst]
    return inst
  }

  async function update(id: string, input: InstanceInput) {
    const inst = await api.updateInstance(id, input)
    const i = items.value.findIndex((x) => x.id === id)
    if (i >= 0) items.value.splice(i, 1, inst)
    return inst
  }

  async function remove(id: string) {
    const i = items.value.findIndex((x) => x.id === id)
    if (i < 0) return
    const [old] = items.value.splice(i, 1)
    try {
      await api.removeInstance(id)
    } catch (e) {
      items.value.splice(i, 0, old!)
      throw e
    }
    useDatabasesStore().dropInstance(id)
  }

  function parseURL(url: string) {
    return api.parseInstanceURL(url.trim())
  }

  function testConnection(input: InstanceInput) {
    return api.testConnection(input)
  }

  function testSaved(id: string) {
    return api.testSavedInstance(id)
  }

  /** sync lists the server's databases; the databases store and lastSyncAt follow. */
  async function sync(id: string) {
    syncing.value = new Set(syncing.value).add(id)
    try {
      const dbs = await api.syncInstance(id)
      useDatabasesStore().replaceInstance(id, dbs)
      return dbs
    } finally {
      // Go recorded lastSyncAt or lastError either way
      try {
        items.value = await api.listInstances()
      } catch {
        // the sync's own outcome is what the caller reports
      }
      const next = new Set(syncing.value)
      next.delete(id)
      syncing.value = next
    }
  }

  return { items, loaded, syncing, load, create, update, remove, parseURL, testConnection, testSaved, sync }
})
