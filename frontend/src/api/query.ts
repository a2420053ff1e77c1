// SQL editor: the facade over QueryService (app/query.go). Re-exported by api/index.ts.
import * as QueryService from '../../wailsjs/go/app/QueryService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

export type QueryMode = 'read-only' | 'admin'

export interface QueryColumn {
  name: string
  /** format_type spelling, e.g. numeric(10,2) */
  type: string
  oid: number
}

/** One value: null set for NULL (shown distinctly), else PostgreSQL's text form. */
export interface QueryCell {
  text: string
  null?: boolean
  /** the value was longer than the grid keeps */
  truncated?: boolean
}

export interface QueryResult {
  tag: string
  columns: QueryColumn[]
  rows: QueryCell[][]
  limitReached: boolean
  elapsedMs: number
  /** byte span of the statement in the tab's text */
  start: number
  end: number
}

/** A statement a fence or PostgreSQL refused, placed in the script. */
export interface QueryError {
  message: string
  sqlstate: string
  detail: string
  hint: string
  /** allow-list, server, or empty for an ordinary PostgreSQL error */
  fence: string
  index: number
  offset: number
  line: number
  column: number
}

export interface QueryOutcome {
  mode: QueryMode
  results: QueryResult[]
  error: QueryError | null
  /** an admin transaction is open (after BEGIN) */
  inTransaction: boolean
}

export interface QueryRequest {
  tab: string
  databaseId: string
  sql: string
  admin: boolean
  /** the database's name, required for admin mode on a production database */
  confirmDatabase: string
  /** 0: 1,000; negative: all rows */
  limit: number
  /** 0: the mode's default (30 s read-only) */
  timeoutMs: number
}

export interface QueryRun {
  id: string
  statement: string
  mode: QueryMode
  ranAt: string
  durationMs: number
  rows: number
  error: string
  sqlstate: string
}

/** runQuery runs SQL in the tab's session; statement errors come back in the outcome. */
export async function runQuery(req: QueryRequest): Promise<QueryOutcome> {
  const o = await call(() => QueryService.Run(req as never))
  return {
    mode: o.mode as QueryMode,
    inTransaction: o.inTransaction,
    error: (o.error as QueryError | null) ?? null,
    results: (o.results ?? []).map((r) => ({
      tag: r.tag,
      columns: (r.columns ?? []) as QueryColumn[],
      rows: (r.rows ?? []) as QueryCell[][],
      limitReached: r.limitReached,
      elapsedMs: r.elapsedMs,
      start: r.start,
      end: r.end,
    })),
  }
}

/** cancelQuery stops the tab's running statement on the server; false when none runs. */
export function cancelQuery(tab: string): Promise<boolean> {
  return call(() => QueryService.Cancel(tab))
}

/** closeQueryTab ends the tab's session (an open admin transaction is rolled back). */
export function closeQueryTab(tab: string): Promise<void> {
  return call(() => QueryService.CloseTab(tab))
}

/** queryHistory lists a database's query history, newest first. */
export async function queryHistory(databaseId: string, search = '', limit = 200): Promise<QueryRun[]> {
  return ((await call(() => QueryService.History(databaseId, search, limit))) ?? []) as QueryRun[]
}

/** An editor tab kept in the workspace across restarts (admin mode is never kept). */
export interface QueryTab {
  id: string
  title: string
  /** '' when no database is chosen (or it was removed from the workspace) */
  databaseId: string
  sql: string
  /** 0: 1,000; negative: all rows */
  limit: number
  /** 0: the mode's default (30 s read-only) */
  timeoutSeconds: number
  active: boolean
}

/** listTabs returns the kept editor tabs in their order. */
export async function listTabs(): Promise<QueryTab[]> {
  return ((await call(() => QueryService.ListTabs())) ?? []).map((t) => ({
    id: t.id,
    title: t.title ?? '',
    databaseId: t.databaseId ?? '',
    sql: t.sql ?? '',
    limit: t.limit ?? 0,
    timeoutSeconds: t.timeoutSeconds ?? 0,
    active: t.active ?? false,
  }))
}

/** saveTabs replaces the kept editor tabs with tabs, in their order. */
export function saveTabs(tabs: QueryTab[]): Promise<void> {
  return call(() => QueryService.SaveTabs(tabs as never))
}

export type CompletionKind = 'table' | 'view' | 'materialized view' | 'foreign table' | 'partitioned table'

export interface CompletionColumn {
  name: string
  /** format_type spelling, e.g. character varying(20) */
  type: string
}

export interface CompletionTable {
  name: string
  kind: CompletionKind
  /** in order; empty for foreign and typed tables (not in the snapshot model) */
  columns: CompletionColumn[]
}

export interface CompletionFunction {
  name: string
  /** arguments with modes and defaults, e.g. "a integer, b integer DEFAULT 1" */
  args: string
  /** e.g. integer, SETOF record, TABLE(...); empty for a procedure */
  returns: string
}

export interface CompletionSchema {
  name: string
  tables: CompletionTable[]
  functions: CompletionFunction[]
}

/** The names the editor completes for a database, from its latest snapshot. */
export interface CompletionCatalog {
  schemas: CompletionSchema[]
}

/** completion returns a database's completion catalog from its latest snapshot (no round trip). */
export async function completion(databaseId: string): Promise<CompletionCatalog> {
  const c = await call(() => QueryService.Completion(databaseId))
  return {
    schemas: (c.schemas ?? []).map((s) => ({
      name: s.name,
      tables: (s.tables ?? []).map((t) => ({
        name: t.name,
        kind: t.kind as CompletionKind,
        columns: (t.columns ?? []).map((col) => ({ name: col.name, type: col.type })),
      })),
      functions: (s.functions ?? []).map((f) => ({ name: f.name, args: f.args ?? '', returns: f.returns ?? '' })),
    })),
  }
}

export type ExportFormat = 'csv' | 'json' | 'jsonl' | 'sql' | 'xlsx'

/** A full query exported to a file: every row, streamed, in the background. */
export interface ExportRequest {
  databaseId: string
  tab: string
  sql: string
  format: ExportFormat
  /** from chooseExportPath */
  path: string
  admin: boolean
  /** the database's name, required for admin mode on a production database */
  confirmDatabase?: string
  /** 0 or absent: the mode's default */
  timeoutMs?: number
}

/** Progress of an export (the query:export event): about ten a second, then one with done. */
export interface ExportProgress {
  jobId: string
  rows: number
  /** bytes in the file so far (an XLSX workbook is assembled at the end) */
  bytes: number
  done: boolean
  /** set when it failed or was cancelled; no file is left then */
  error: string
  sqlstate: string
  canceled: boolean
  path: string
}

/** exportToFile starts an export and returns its job id; follow it with onExportProgress. */
export function exportToFile(req: ExportRequest): Promise<string> {
  return call(() => QueryService.ExportToFile({ confirmDatabase: '', timeoutMs: 0, ...req } as never))
}

/** cancelExport stops an export on the server and removes its partial file; false when none runs. */
export function cancelExport(jobId: string): Promise<boolean> {
  return call(() => QueryService.CancelExport(jobId))
}

/** chooseExportPath shows the save dialog; '' when it was cancelled. */
export function chooseExportPath(defaultName: string): Promise<string> {
  return call(() => QueryService.ChooseExportPath(defaultName))
}

/** Subscribes to export progress; returns the unsubscribe function. */
export function onExportProgress(handler: (p: ExportProgress) => void): () => void {
  return EventsOn('query:export', (payload: unknown) => {
    if (!payload || typeof payload !== 'object') return
    const p = payload as Partial<ExportProgress>
    if (typeof p.jobId !== 'string' || p.jobId === '') return
    handler({
      jobId: p.jobId,
      rows: p.rows ?? 0,
      bytes: p.bytes ?? 0,
      done: p.done ?? false,
      error: p.error ?? '',
      sqlstate: p.sqlstate ?? '',
      canceled: p.canceled ?? false,
      path: p.path ?? '',
    })
  })
}

/** A node of a plan tree (EXPLAIN (FORMAT JSON)); actual* only with ANALYZE. */
export interface PlanNode {
  nodeType: string
  relation?: string
  startupCost: number
  totalCost: number
  planRows: number
  /** ms */
  actualTotalTime?: number
  actualRows?: number
  loops?: number
  /** among the nodes with the most time of their own (ANALYZE) */
  slowest?: boolean
  /** index, join or filter condition */
  detail?: string
  children?: PlanNode[]
}

export interface ExplainRequest {
  tab: string
  databaseId: string
  sql: string
  /** runs the statement: admin mode only (refused by the allow-list otherwise) */
  analyze: boolean
  admin: boolean
  confirmDatabase?: string
  timeoutMs?: number
}

export interface ExplainOutcome {
  mode: QueryMode
  plan: PlanNode | null
  error: QueryError | null
  inTransaction: boolean
}

/** explain plans one statement in the tab's session; a refusal or error comes back in the outcome. */
export async function explain(req: ExplainRequest): Promise<ExplainOutcome> {
  const o = await call(() => QueryService.Explain({ confirmDatabase: '', timeoutMs: 0, ...req } as never))
  return {
    mode: o.mode as QueryMode,
    plan: (o.plan as PlanNode | null) ?? null,
    error: (o.error as QueryError | null) ?? null,
    inTransaction: o.inTransaction,
  }
}

/**
 * cellValue returns the whole text of a cell of the tab's last run (result, row, column from 0)
 * for the value viewer: a value the grid cut (truncated) comes back whole while the tab's budget
 * for long values lasts; past it the error says to export the query.
 */
export function cellValue(tab: string, result: number, row: number, column: number): Promise<string> {
  return call(() => QueryService.CellValue(tab, result, row, column))
}
