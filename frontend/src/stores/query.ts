import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import * as api from '../api'
import type { CompletionCatalog, ExportFormat, ExportProgress, PlanNode, QueryOutcome, QueryRun } from '../api'
import { browserNodes, type BrowserNode } from '../components/query/sqltext'

/** The saved part of an editor tab (what survives a restart). */
export interface SavedTab {
  id: string
  title: string
  databaseId: string
  sql: string
  limit: number
  timeoutSeconds: number
  active: boolean
}

/** A run of a tab: the text sent, where it started in the tab, and what came back. */
export interface TabRun {
  seq: number
  /** the row limit of this run */
  limit: number
  sent: string
  base: number
  startedAt: number
  outcome: QueryOutcome | null
  /** an EXPLAIN run: the plan (null until it answers or when it failed) */
  explain: boolean
  plan: PlanNode | null
  /** the call itself failed (connection, unknown database) */
  failure: api.ApiError | null
}

export interface EditorTab extends SavedTab {
  admin: boolean
  /** the database name typed to confirm admin mode on a production database */
  confirmDatabase: string
  running: boolean
  run: TabRun | null
  inTransaction: boolean
}

export const DEFAULT_LIMIT = 1000
export const DEFAULT_TIMEOUT_SECONDS = 30
/** an export of a tab's query to a file, followed through its progress events */
export interface ExportJob extends ExportProgress {
  tabId: string
  format: ExportFormat
  startedAt: number
}

function newId() {
  return `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

function fromSaved(t: Partial<SavedTab>, i: number): EditorTab {
  return {
    id: t.id || newId(),
    title: t.title || `Query ${i + 1}`,
    databaseId: t.databaseId ?? '',
    sql: t.sql ?? '',
    limit: t.limit && t.limit > 0 ? t.limit : DEFAULT_LIMIT,
    timeoutSeconds: t.timeoutSeconds && t.timeoutSeconds > 0 ? t.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS,
    active: !!t.active,
    admin: false,
    confirmDatabase: '',
    running: false,
    run: null,
    inTransaction: false,
  }
}

/**
 * The SQL editor's tabs: each with its database, text, row limit, timeout and mode; runs go
 * through QueryService with the tab id as the session key. Tabs (not results or admin mode)
 * are kept in the workspace across restarts.
 */
export const useQueryStore = defineStore('query', () => {
  const tabs = ref<EditorTab[]>([])
  const activeId = ref('')
  const loaded = ref(false)
  let seq = 0

  const active = computed(() => tabs.value.find((t) => t.id === activeId.value) ?? null)

  function saved(): SavedTab[] {
    return tabs.value.map((t) => ({
      id: t.id,
      title: t.title,
      databaseId: t.databaseId,
      sql: t.sql,
      limit: t.limit,
      timeoutSeconds: t.timeoutSeconds,
      active: t.id === activeId.value,
    }))
  }

  /** saves are debounced; a failed save is kept for the page to show, the tabs stay open */
  const saveError = ref<api.ApiError | null>(null)
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  function persist() {
    if (!loaded.value) return
    clearTimeout(saveTimer)
    saveTimer = setTimeout(flush, 400)
  }
  async function flush() {
    clearTimeout(saveTimer)
    // before the kept tabs are read (or when reading them failed) there is nothing of ours to save
    if (!loaded.value) return
    try {
      await api.saveTabs(saved())
      saveError.value = null
    } catch (e) {
      saveError.value = api.toApiError(e)
    }
  }
  watch([tabs, activeId], persist, { deep: true })

  let loading: Promise<void> | null = null
  /** load restores the kept tabs once; preselect opens (or focuses) a tab on that database. */
  async function load(preselect = '') {
    if (!loaded.value) {
      loading ??= (async () => {
        const kept = await api.listTabs()
        if (loaded.value) return
        tabs.value = kept.map(fromSaved)
        activeId.value = tabs.value.find((t) => t.active)?.id ?? tabs.value[0]?.id ?? ''
        loaded.value = true
        api.onExportProgress(progress)
      })().finally(() => (loading = null))
      await loading
    }
    if (preselect) {
      const t = active.value?.databaseId === preselect ? active.value : tabs.value.find((x) => x.databaseId === preselect)
      if (t) activeId.value = t.id
      else open(preselect)
    } else if (!tabs.value.length) open('')
  }

  function nextTitle() {
    const used = new Set(tabs.value.map((t) => t.title))
    let n = tabs.value.length + 1
    while (used.has(`Query ${n}`)) n++
    return `Query ${n}`
  }

  /** open adds a tab and makes it active. */
  function open(databaseId: string, sql = '') {
    const t = fromSaved({ id: newId(), title: nextTitle(), databaseId, sql }, tabs.value.length)
    tabs.value.push(t)
    activeId.value = t.id
    return tabs.value[tabs.value.length - 1]!
  }

  function get(id: string) {
    return tabs.value.find((t) => t.id === id)
  }

  function update(id: string, patch: Partial<Pick<EditorTab, 'title' | 'sql' | 'limit' | 'timeoutSeconds'>>) {
    const t = get(id)
    if (t) Object.assign(t, patch)
  }

  /** setDatabase moves a tab to another database (its session, if any, is closed). */
  async function setDatabase(id: string, databaseId: string) {
    const t = get(id)
    if (!t || t.databaseId === databaseId) return
    t.databaseId = databaseId
    t.admin = false
    t.confirmDatabase = ''
    t.inTransaction = false
    await api.closeQueryTab(id)
  }

  /** close ends the tab's session (rolling back an open admin transaction) and removes it. */
  async function close(id: string) {
    const i = tabs.value.findIndex((t) => t.id === id)
    if (i < 0) return
    await api.closeQueryTab(id)
    tabs.value.splice(i, 1)
    if (activeId.value === id) activeId.value = tabs.value[Math.min(i, tabs.value.length - 1)]?.id ?? ''
  }

  /**
   * setAdmin switches a tab's mode. Both ways close the tab's session first: read-only →
   * admin opens a new admin session on the next run; admin → read-only ends the admin
   * session (an open transaction is rolled back).
   */
  async function setAdmin(id: string, on: boolean, confirmDatabase = '') {
    const t = get(id)
    if (!t) return
    await api.closeQueryTab(id)
    t.admin = on
    t.confirmDatabase = on ? confirmDatabase : ''
    t.inTransaction = false
  }

  /** run sends text of the tab (starting at base in its SQL) with the tab's limit and timeout. */
  async function run(id: string, sent: string, base = 0, limit?: number) {
    const t = get(id)
    if (!t || t.running || !t.databaseId || !sent.trim()) return null
    const r: TabRun = { seq: ++seq, limit: limit ?? t.limit, sent, base, startedAt: Date.now(), outcome: null, failure: null, explain: false, plan: null }
    t.run = r
    t.running = true
    try {
      const o = await api.runQuery({
        tab: t.id,
        databaseId: t.databaseId,
        sql: sent,
        admin: t.admin,
        confirmDatabase: t.confirmDatabase,
        limit: r.limit,
        timeoutMs: t.timeoutSeconds * 1000,
      })
      const cur = get(id)
      if (cur?.run?.seq === r.seq) {
        cur.run = { ...r, outcome: o }
        cur.inTransaction = o.inTransaction
      }
      return o
    } catch (e) {
      const cur = get(id)
      if (cur?.run?.seq === r.seq) cur.run = { ...r, failure: api.toApiError(e) }
      return null
    } finally {
      const cur = get(id)
      if (cur) cur.running = false
    }
  }

  /** cancel asks the server to stop the tab's running statement. */
  function cancel(id: string) {
    return api.cancelQuery(id)
  }

  /** the browser's view of each database's latest snapshot, loaded when first needed */
  const trees = ref<Record<string, BrowserNode[]>>({})
  const synced = ref<Record<string, boolean>>({})

  /** loadTree reads a database's snapshot tree (again when force). */
  async function loadTree(databaseId: string, force = false) {
    if (!databaseId || (!force && trees.value[databaseId])) return trees.value[databaseId] ?? []
    const t = await api.schemaTree(databaseId)
    trees.value = { ...trees.value, [databaseId]: browserNodes(t.nodes) }
    synced.value = { ...synced.value, [databaseId]: t.snapshotId !== '' }
    return trees.value[databaseId]!
  }

  /** each database's completion catalog (from its latest snapshot) */
  const catalogs = ref<Record<string, CompletionCatalog>>({})
  async function loadCatalog(databaseId: string, force = false) {
    if (!databaseId || (!force && catalogs.value[databaseId])) return catalogs.value[databaseId] ?? null
    const c = await api.completion(databaseId)
    catalogs.value = { ...catalogs.value, [databaseId]: c }
    return c
  }

  /** explain plans one statement in the tab's session (ANALYZE runs it: admin mode only). */
  async function explain(id: string, sent: string, base = 0, analyze = false) {
    const t = get(id)
    if (!t || t.running || !t.databaseId || !sent.trim()) return null
    const r: TabRun = { seq: ++seq, limit: t.limit, sent, base, startedAt: Date.now(), outcome: null, failure: null, explain: true, plan: null }
    t.run = r
    t.running = true
    try {
      const o = await api.explain({
        tab: t.id,
        databaseId: t.databaseId,
        sql: sent,
        analyze,
        admin: t.admin,
        confirmDatabase: t.confirmDatabase,
        timeoutMs: t.timeoutSeconds * 1000,
      })
      const cur = get(id)
      if (cur?.run?.seq === r.seq) {
        cur.run = { ...r, plan: o.plan, outcome: { mode: o.mode, results: [], error: o.error, inTransaction: o.inTransaction } }
        cur.inTransaction = o.inTransaction
      }
      return o
    } catch (e) {
      const cur = get(id)
      if (cur?.run?.seq === r.seq) cur.run = { ...r, failure: api.toApiError(e) }
      return null
    } finally {
      const cur = get(id)
      if (cur) cur.running = false
    }
  }

  /** exports by job id, newest last */
  const exports = ref<Record<string, ExportJob>>({})
  function progress(p: ExportProgress) {
    // an event may come before exportToFile has returned the job id: kept, then merged
    const job = exports.value[p.jobId] ?? { tabId: '', format: 'csv' as ExportFormat, startedAt: 0 }
    exports.value = { ...exports.value, [p.jobId]: { ...job, ...p } }
  }

  /**
   * startExport asks where to save (the native dialog) and exports the whole query there, in
   * the tab's mode; '' when the dialog was cancelled.
   */
  async function startExport(id: string, sql: string, format: ExportFormat) {
    const t = get(id)
    if (!t || !t.databaseId || !sql.trim()) return ''
    const ext = format === 'jsonl' ? 'jsonl' : format
    const path = await api.chooseExportPath(`${t.title.replace(/[^\w.-]+/g, '_')}.${ext}`)
    if (!path) return ''
    const jobId = await api.exportToFile({
      databaseId: t.databaseId,
      tab: t.id,
      sql,
      format,
      path,
      admin: t.admin,
      confirmDatabase: t.confirmDatabase,
      timeoutMs: t.timeoutSeconds * 1000,
    })
    const known = exports.value[jobId]
    exports.value = {
      ...exports.value,
      [jobId]: { jobId, rows: 0, bytes: 0, done: false, error: '', sqlstate: '', canceled: false, path, ...known, tabId: id, format, startedAt: Date.now() },
    }
    return jobId
  }

  function cancelExport(jobId: string) {
    return api.cancelExport(jobId)
  }

  function dismissExport(jobId: string) {
    const { [jobId]: _, ...rest } = exports.value
    exports.value = rest
  }

  function history(databaseId: string, search = ''): Promise<QueryRun[]> {
    return api.queryHistory(databaseId, search)
  }

  return { trees, synced, loadTree, catalogs, loadCatalog, explain, exports, startExport, cancelExport, dismissExport, saveError, flush, tabs, activeId, active, loaded, load, open, get, update, setDatabase, close, setAdmin, run, cancel, history, saved }
})
