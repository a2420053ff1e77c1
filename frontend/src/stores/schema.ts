import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { ObjectDetail, SchemaNode, SchemaSummary, SchemaTree } from '../api'

/** filterTree keeps the nodes whose label matches (case-insensitive), with their ancestors. */
export function filterTree(nodes: SchemaNode[], query: string): SchemaNode[] {
  const q = query.trim().toLowerCase()
  if (!q) return nodes
  const out: SchemaNode[] = []
  for (const n of nodes) {
    const kids = filterTree(n.children, q)
    if (kids.length || (n.kind !== 'group' && n.label.toLowerCase().includes(q))) {
      out.push({ ...n, children: kids.length ? kids : n.label.toLowerCase().includes(q) ? n.children : [] })
    }
  }
  return out
}

/** findNode finds a node by id, depth first. */
export function findNode(nodes: SchemaNode[], id: string): SchemaNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n
    const hit = findNode(n.children, id)
    if (hit) return hit
  }
  return undefined
}

/**
 * The schema of the database page: its summary, tree, selected object and whole DDL. It holds
 * one database at a time; open() switches and drops what belonged to the previous one.
 */
export const useSchemaStore = defineStore('schema', () => {
  const databaseId = ref('')
  const summary = ref<SchemaSummary | null>(null)
  const tree = ref<SchemaTree | null>(null)
  const selectedId = ref('')
  const detail = ref<ObjectDetail | null>(null)
  const ddl = ref<string | null>(null)
  const loading = ref(false)
  const syncing = ref(false)
  const detailLoading = ref(false)
  /** counts requests so that a late answer for a previous database or object is dropped */
  let generation = 0
  let detailGeneration = 0

  const synced = computed(() => summary.value?.synced ?? false)
  const failed = computed(() => (summary.value?.lastError ?? '') !== '')

  function reset(id: string) {
    generation++
    databaseId.value = id
    summary.value = null
    tree.value = null
    selectedId.value = ''
    detail.value = null
    ddl.value = null
  }

  async function loadTree(gen: number) {
    const t = await api.schemaTree(databaseId.value)
    if (gen !== generation) return
    tree.value = t
    if (selectedId.value && !findNode(t.nodes, selectedId.value)) {
      selectedId.value = ''
      detail.value = null
    }
  }

  /** open loads the summary (and the tree once synced) of a database. */
  async function open(id: string) {
    reset(id)
    const gen = generation
    loading.value = true
    try {
      const s = await api.schemaSummary(id)
      if (gen !== generation) return
      summary.value = s
      if (s.synced) await loadTree(gen)
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  /**
   * sync takes a new snapshot. On failure Go records it; the summary is reloaded so the page
   * says why while still showing the previous snapshot, and the error is rethrown.
   */
  async function sync() {
    const id = databaseId.value
    if (!id || syncing.value) return
    const gen = generation
    syncing.value = true
    try {
      const s = await api.syncSchema(id)
      if (gen !== generation) return s
      summary.value = s
      ddl.value = null
      await loadTree(gen)
      if (selectedId.value) await select(selectedId.value)
      return s
    } catch (e) {
      if (gen === generation) {
        try {
          summary.value = await api.schemaSummary(id)
        } catch {
          // the sync's own error is what the caller reports
        }
      }
      throw e
    } finally {
      syncing.value = false
    }
  }

  /** select shows one object's properties and DDL; group nodes are not objects. */
  async function select(nodeId: string) {
    if (!nodeId || nodeId.startsWith('group:')) return
    selectedId.value = nodeId
    const gen = ++detailGeneration
    detailLoading.value = true
    try {
      const d = await api.schemaObject(databaseId.value, nodeId)
      if (gen === detailGeneration && selectedId.value === nodeId) detail.value = d
    } finally {
      if (gen === detailGeneration) detailLoading.value = false
    }
  }

  /** loadDDL fetches the whole-database DDL once per snapshot. */
  async function loadDDL() {
    if (ddl.value !== null) return ddl.value
    const gen = generation
    const text = await api.schemaDDL(databaseId.value)
    if (gen === generation) ddl.value = text
    return text
  }

  /** saveAs asks for a file (native dialog) and writes the DDL there; '' when cancelled. */
  async function saveAs() {
    const path = await api.chooseDDLPath(databaseId.value)
    if (!path) return ''
    await api.saveDDL(databaseId.value, path)
    return path
  }

  async function copyDDL() {
    await api.copyToClipboard(await loadDDL())
  }

  return {
    databaseId,
    summary,
    tree,
    selectedId,
    detail,
    ddl,
    loading,
    syncing,
    detailLoading,
    synced,
    failed,
    open,
    sync,
    select,
    loadDDL,
    saveAs,
    copyDDL,
  }
})
