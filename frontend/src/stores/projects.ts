import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { Project } from '../api'

export const useProjectsStore = defineStore('projects', () => {
  const items = ref<Project[]>([])
  const includeArchived = ref(false)
  const loaded = ref(false)

  const active = computed(() => items.value.filter((p) => !p.archived))
  const byId = computed(() => new Map(items.value.map((p) => [p.id, p])))

  async function load() {
    items.value = await api.listProjects(includeArchived.value)
    loaded.value = true
  }

  function replace(p: Project) {
    const i = items.value.findIndex((x) => x.id === p.id)
    if (p.archived && !includeArchived.value) {
      if (i >= 0) items.value.splice(i, 1)
      return
    }
    if (i >= 0) items.value.splice(i, 1, p)
    else items.value = [...items.value, p]
  }

  async function create(name: string) {
    const p = await api.createProject(name.trim())
    items.value = [...items.value, p]
    return p
  }

  async function rename(id: string, name: string) {
    const i = items.value.findIndex((x) => x.id === id)
    if (i < 0) return
    const old = items.value[i]!
    items.value.splice(i, 1, { ...old, name: name.trim() })
    try {
      replace(await api.renameProject(id, name.trim()))
    } catch (e) {
      const j = items.value.findIndex((x) => x.id === id)
      if (j >= 0) items.value.splice(j, 1, old)
      throw e
    }
  }

  async function archive(id: string) {
    replace(await api.archiveProject(id))
  }

  async function unarchive(id: string) {
    replace(await api.unarchiveProject(id))
  }

  function databases(id: string) {
    return api.projectDatabases(id)
  }

  /** bumpCount keeps databaseCount right after an assignment without a reload. */
  function bumpCount(id: string, delta: number) {
    const i = items.value.findIndex((x) => x.id === id)
    if (i >= 0) items.value.splice(i, 1, { ...items.value[i]!, databaseCount: items.value[i]!.databaseCount + delta })
  }

  return { items, includeArchived, loaded, active, byId, load, create, rename, archive, unarchive, databases, bumpCount }
})
