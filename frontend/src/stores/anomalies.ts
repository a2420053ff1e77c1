import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api/anomaly'
import type { Anomaly, AnomalyDetail, AnomalyFilter } from '../api/anomaly'

/**
 * The Anomaly Center's state: the list under the page's filters, the open count for the
 * navigation badge, the anomaly opened in the detail drawer, and each database's open drift
 * (the database page's banner). "anomaly:changed" events reload what is shown.
 */
export const useAnomaliesStore = defineStore('anomalies', () => {
  const items = ref<Anomaly[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const filter = ref<AnomalyFilter>({})
  const openCount = ref(0)
  const detail = ref<AnomalyDetail | null>(null)
  const detailLoading = ref(false)
  /** the open drift anomaly of a database, by database id (null: none) */
  const driftOf = ref<Record<string, Anomaly | null>>({})
  let listGen = 0
  let unsubscribe: (() => void) | null = null
  const handlers = new Set<() => void>()

  async function load(f: AnomalyFilter = filter.value) {
    filter.value = f
    const g = ++listGen
    loading.value = true
    try {
      const l = await api.listAnomalies(f)
      if (g === listGen) {
        items.value = l
        loaded.value = true
      }
    } finally {
      if (g === listGen) loading.value = false
    }
  }

  async function loadCount() {
    openCount.value = await api.openAnomalyCount()
  }

  /** loadDrift reads a database's open drift anomaly for its banner. */
  async function loadDrift(databaseId: string) {
    const l = await api.listAnomalies({ databaseId, kind: 'schema_drift' })
    driftOf.value = { ...driftOf.value, [databaseId]: l[0] ?? null }
  }

  async function open(id: number) {
    detailLoading.value = true
    try {
      detail.value = await api.getAnomaly(id)
    } finally {
      detailLoading.value = false
    }
  }

  function close() {
    detail.value = null
  }

  async function establishBaseline(databaseId: string): Promise<number> {
    return api.establishBaseline(databaseId)
  }

  async function revertDrift(id: number): Promise<number> {
    return api.revertDrift(id)
  }

  /** refresh reloads what is shown after an "anomaly:changed" event; failures keep it as it was. */
  async function refresh(count: number) {
    if (count >= 0) openCount.value = count
    const work: Promise<unknown>[] = [count >= 0 ? Promise.resolve() : loadCount()]
    if (loaded.value) work.push(load())
    for (const id of Object.keys(driftOf.value)) work.push(loadDrift(id))
    if (detail.value) work.push(open(detail.value.anomaly.id))
    await Promise.all(work.map((p) => p.catch(() => {})))
    handlers.forEach((h) => h())
  }

  /** listen subscribes to "anomaly:changed" (once for the app); returns an unsubscribe for the handler. */
  function listen(handler: () => void = () => {}): () => void {
    if (!unsubscribe) unsubscribe = api.onAnomalyChanged((n) => void refresh(n))
    handlers.add(handler)
    return () => handlers.delete(handler)
  }

  return { items, loaded, loading, filter, openCount, detail, detailLoading, driftOf, load, loadCount, loadDrift, open, close, establishBaseline, revertDrift, refresh, listen }
})
