import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { HomeIssues, IssueFilter, IssueHeader, IssueReport } from '../api'

/**
 * The change workflow's state: the Issues page list, the issue page's report (with the live log
 * of running tasks from "issue" events) and the home lists. Every action sends the version the
 * page read and reloads; background work reports through the "issue" event.
 */
export const useIssuesStore = defineStore('issues', () => {
  const items = ref<IssueHeader[]>([])
  const total = ref(0)
  const loaded = ref(false)
  const loading = ref(false)
  const filter = ref<IssueFilter>({})
  const current = ref<IssueReport | null>(null)
  const currentLoading = ref(false)
  /** live log lines per task id of the current issue */
  const live = ref<Record<string, string[]>>({})
  /** the last background error of the current issue */
  const backgroundError = ref('')
  const home = ref<HomeIssues>({ waitingApproval: [], waitingRollout: [], mine: [], recentlyDone: [] })
  const homeLoaded = ref(false)
  let unsubscribe: (() => void) | null = null
  const handlers = new Set<(n: number) => void>()
  let gen = 0

  async function load(f: IssueFilter = filter.value) {
    filter.value = f
    loading.value = true
    try {
      const l = await api.listIssues(f)
      items.value = l.items
      total.value = l.total
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  async function loadHome() {
    home.value = await api.homeIssues()
    homeLoaded.value = true
  }

  /** open loads issue n for the issue page. */
  async function open(n: number) {
    gen++
    const g = gen
    if (current.value?.number !== n) {
      current.value = null
      live.value = {}
      backgroundError.value = ''
    }
    currentLoading.value = true
    try {
      const r = await api.getIssue(n)
      if (g === gen) current.value = r
    } finally {
      if (g === gen) currentLoading.value = false
    }
  }

  async function reload() {
    if (current.value) await open(current.value.number)
  }

  /** act runs an action on the current issue with the version read, then reloads. */
  async function act(fn: (n: number, version: number) => Promise<unknown>) {
    const r = current.value
    if (!r) return
    backgroundError.value = ''
    try {
      await fn(r.number, r.version)
    } finally {
      await open(r.number)
    }
  }

  /**
   * listen follows the "issue" events (subscribing once); onChange, when given, is called for any
   * issue that changed until the returned function removes it.
   */
  function listen(onChange?: (n: number) => void): () => void {
    if (onChange) handlers.add(onChange)
    const remove = () => {
      if (onChange) handlers.delete(onChange)
    }
    if (unsubscribe) return remove
    unsubscribe = api.onIssue((e) => {
      const cur = current.value
      if (cur && e.issue === cur.number) {
        if (e.kind === 'log' && e.taskId) {
          live.value = { ...live.value, [e.taskId]: [...(live.value[e.taskId] ?? []), e.message] }
          return
        }
        if (e.kind === 'error') backgroundError.value = e.message
        void open(cur.number).catch(() => undefined)
      }
      if (e.kind !== 'log') for (const h of handlers) h(e.issue)
    })
    return remove
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
    handlers.clear()
  }

  return { items, total, loaded, loading, filter, current, currentLoading, live, backgroundError, home, homeLoaded, load, loadHome, open, reload, act, listen, stop }
})
