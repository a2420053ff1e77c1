import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { Environment } from '../api'

export const useEnvironmentsStore = defineStore('environments', () => {
  const items = ref<Environment[]>([])
  const loaded = ref(false)

  const byId = computed(() => new Map(items.value.map((e) => [e.id, e])))

  function nameOf(id: string): string {
    return byId.value.get(id)?.name ?? id
  }

  async function load() {
    items.value = await api.listEnvironments()
    loaded.value = true
  }

  async function create(name: string) {
    const env = await api.createEnvironment(name.trim())
    items.value = [...items.value, env].sort((a, b) => a.position - b.position)
    return env
  }

  async function rename(id: string, name: string) {
    const i = items.value.findIndex((e) => e.id === id)
    if (i < 0) return
    const old = items.value[i]!
    items.value.splice(i, 1, { ...old, name: name.trim() })
    try {
      const saved = await api.renameEnvironment(id, name.trim())
      items.value.splice(i, 1, saved)
    } catch (e) {
      items.value.splice(i, 1, old)
      throw e
    }
  }

  /** setProtected marks an environment as production or not. */
  async function setProtected(id: string, value: boolean) {
    const saved = await api.setEnvironmentProtected(id, value)
    items.value = items.value.map((e) => (e.id === id ? saved : e))
  }

  /** move shifts an environment by delta places (−1 up, +1 down); optimistic with rollback. */
  async function move(id: string, delta: number) {
    const from = items.value.findIndex((e) => e.id === id)
    const to = from + delta
    if (from < 0 || to < 0 || to >= items.value.length) return
    const before = items.value.slice()
    const next = items.value.slice()
    const [moved] = next.splice(from, 1)
    next.splice(to, 0, moved!)
    items.value = next
    try {
      items.value = await api.reorderEnvironments(next.map((e) => e.id))
    } catch (e) {
      items.value = before
      throw e
    }
  }

  return { items, loaded, byId, nameOf, load, create, rename, move, setProtected }
})
