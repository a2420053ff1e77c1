// The change workflow: the facade over IssueService (app/workflow.go). Re-exported by api/index.ts.
import * as IssueService from '../../wailsjs/go/app/IssueService'
import { normaliseFlow, type Flow } from './risk'
import { app } from '../../wailsjs/go/models'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './errors'
import type { Change } from './history'

export type IssueType = 'schema_change' | 'data_change' | 'create_database' | 'baseline'
export type IssueStatus = 'open' | 'done' | 'canceled'
export type TaskStatus = 'not_started' | 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'canceled'
export type CheckStatus = 'running' | 'success' | 'warning' | 'error'

/** One row of an issue list. */
export interface IssueHeader {
  number: number
  title: string
  type: IssueType | string
  status: IssueStatus | string
  approval: string
  /** waiting, ready, running, failed, done, canceled */
  rollout: string
  projectId: string
  creator: string
  environments: string[]
  createdAt: string
  updatedAt: string
}

export interface IssueFilter {
  status?: string
  projectId?: string
  type?: string
  environment?: string
  database?: string
  creator?: string
  approval?: string
  rollout?: string
  search?: string
  before?: number
  limit?: number
}

export interface IssueList {
  items: IssueHeader[]
  total: number
}

export interface HomeIssues {
  waitingApproval: IssueHeader[]
  waitingRollout: IssueHeader[]
  mine: IssueHeader[]
  recentlyDone: IssueHeader[]
}

export interface IssueUser {
  name: string
  email?: string
}

export interface CheckResult {
  status: CheckStatus | string
  title: string
  message?: string
  code?: string
  line?: number
  column?: number
  endLine?: number
  sqlstate?: string
  statement?: string
}

export interface DryRunObject {
  action: string
  kind: string
  schema?: string
  name: string
  [k: string]: unknown
}

export interface AffectedRows {
  line: number
  statement: string
  table?: string
  rows: number
  source: string
}

export interface CheckRow {
  database: string
  taskId: string
  kind: 'syntax' | 'review' | 'dry_run' | 'affected_rows' | 'summary' | string
  status: CheckStatus | string
  summary: string
  results: CheckResult[]
  objects: DryRunObject[]
  rows: AffectedRows[]
  basis?: string
}

export interface Gate {
  name: string
  open: boolean
  reason?: string
}

export interface Ack {
  by: IssueUser
  at: string
  comment: string
}

export interface Failure {
  message: string
  sqlstate?: string
  detail?: string
  hint?: string
}

export interface TaskRun {
  id: string
  taskId: string
  attempt: number
  status: string
  startedAt: string
  finishedAt?: string
  log: { at: string; message: string }[]
  statements: { n: number; line: number; durationMs: number }[]
  error?: Failure
}

export interface TaskRow {
  id: string
  database: string
  databaseId: string
  instance: string
  status: TaskStatus | string
  reason?: string
  statement: string
  version: string
  changeId?: string
  forced?: Ack
  error?: Failure
  gates: Gate[]
  runs: TaskRun[]
}

export interface StageRow {
  environment: string
  environmentName: string
  production: boolean
  policy: string
  tasks: TaskRow[]
}

export interface ApprovalStep {
  title: string
  status: string
  by?: IssueUser
  at?: string
  comment?: string
}

export interface Activity {
  at: string
  actor: IssueUser
  kind: string
  taskId?: string
  comment?: string
}

/** An issue as the issue page shows it. */
export interface IssueReport {
  number: number
  title: string
  description: string
  type: IssueType | string
  status: IssueStatus | string
  projectId: string
  creator: IssueUser
  labels: string[]
  createdAt: string
  updatedAt: string
  /** the stored version: every action sends it back; a stale one is refused */
  version: number
  /** the approval with its risk and flow (normaliseFlow fills every field) */
  approval: Flow
  checks: CheckRow[]
  stages: StageRow[]
  activity: Activity[]
  rollbackOf?: { databaseId: string; changeId: string; issue?: number }
  rollout: string
}

export interface SchemaChangeRequest {
  projectId: string
  databaseIds: string[]
  sql: string
  perDatabase?: Record<string, string>
  title?: string
  description?: string
  version?: string
  type?: 'schema_change' | 'data_change'
}

export interface CreateDatabaseRequest {
  projectId: string
  instanceId: string
  name: string
  owner: string
  encoding?: string
  environmentId: string
}

export interface RollbackPlan {
  change: Change
  sql: string
  hazards: string[]
  rebased: boolean
}

/** The "issue" event: kind changed (reload), log (a task logged a line) or error (background work failed). */
export interface IssueEvent {
  issue: number
  kind: 'changed' | 'log' | 'error' | string
  taskId: string
  message: string
}

const arr = <T>(v: T[] | null | undefined): T[] => v ?? []

function header(h: IssueHeader): IssueHeader {
  return { ...h, environments: arr(h.environments) }
}

/** report normalises Go's nil slices so the UI always gets arrays. */
export function normaliseReport(r: IssueReport): IssueReport {
  return {
    ...r,
    labels: arr(r.labels),
    approval: normaliseFlow(r.approval as unknown as Record<string, unknown>),
    activity: arr(r.activity),
    checks: arr(r.checks).map((c) => ({ ...c, results: arr(c.results), objects: arr(c.objects), rows: arr(c.rows) })),
    stages: arr(r.stages).map((s) => ({
      ...s,
      tasks: arr(s.tasks).map((t) => ({
        ...t,
        gates: arr(t.gates),
        runs: arr(t.runs).map((run) => ({ ...run, log: arr(run.log), statements: arr(run.statements) })),
      })),
    })),
  }
}

export async function listIssues(f: IssueFilter = {}): Promise<IssueList> {
  const l = await call(() => IssueService.List(app.IssueFilter.createFrom({ ...f })))
  return { items: arr(l?.items as IssueHeader[]).map(header), total: l?.total ?? 0 }
}

export async function homeIssues(): Promise<HomeIssues> {
  const h = await call(() => IssueService.Home())
  return {
    waitingApproval: arr(h.waitingApproval as IssueHeader[]).map(header),
    waitingRollout: arr(h.waitingRollout as IssueHeader[]).map(header),
    mine: arr(h.mine as IssueHeader[]).map(header),
    recentlyDone: arr(h.recentlyDone as IssueHeader[]).map(header),
  }
}

export async function getIssue(n: number): Promise<IssueReport> {
  return normaliseReport((await call(() => IssueService.Get(n))) as unknown as IssueReport)
}

export function createSchemaChange(r: SchemaChangeRequest): Promise<number> {
  return call(() => IssueService.CreateSchemaChange(app.SchemaChangeRequest.createFrom({ perDatabase: {}, title: '', description: '', version: '', type: '', ...r })))
}

export function createDatabaseIssue(r: CreateDatabaseRequest): Promise<number> {
  return call(() => IssueService.CreateDatabase(app.CreateDatabaseRequest.createFrom({ encoding: '', ...r })))
}

export function approveIssue(n: number, version: number, comment = ''): Promise<void> {
  return call(() => IssueService.Approve(n, version, comment))
}
export function rejectIssue(n: number, version: number, comment: string): Promise<void> {
  return call(() => IssueService.Reject(n, version, comment))
}
export function commentIssue(n: number, comment: string): Promise<void> {
  return call(() => IssueService.Comment(n, comment))
}
export function updatePlan(n: number, version: number, taskId: string, sql: string, newVersion = ''): Promise<void> {
  return call(() => IssueService.UpdatePlan(n, version, taskId, sql, newVersion))
}
/** rolloutIssue starts a stage, a task, or (both empty) whatever can start; refused at once naming the closed gate. */
export function rolloutIssue(n: number, version: number, stage = '', taskId = ''): Promise<void> {
  return call(() => IssueService.Rollout(n, version, stage, taskId))
}
export function forceRollout(n: number, version: number, taskId: string, comment: string): Promise<void> {
  return call(() => IssueService.ForceRollout(n, version, taskId, comment))
}
export function retryTask(n: number, version: number, taskId: string, reason = ''): Promise<void> {
  return call(() => IssueService.Retry(n, version, taskId, reason))
}
export function skipTask(n: number, version: number, taskId: string, reason: string): Promise<void> {
  return call(() => IssueService.Skip(n, version, taskId, reason))
}
export function cancelTask(n: number, version: number, taskId: string, reason = ''): Promise<void> {
  return call(() => IssueService.Cancel(n, version, taskId, reason))
}
export async function planRollback(databaseId: string, changeId: string, rebase = false): Promise<RollbackPlan> {
  const p = (await call(() => IssueService.PlanRollback(databaseId, changeId, rebase))) as unknown as RollbackPlan
  return { ...p, hazards: arr(p.hazards) }
}
export function rollbackChange(databaseId: string, changeId: string, rebase = false): Promise<number> {
  return call(() => IssueService.Rollback(databaseId, changeId, rebase))
}
export async function projectChanges(projectId: string): Promise<Change[]> {
  return arr((await call(() => IssueService.ProjectChanges(projectId))) as Change[])
}
export function workspaceUser(): Promise<IssueUser> {
  return call(() => IssueService.User())
}
export function setWorkspaceUser(name: string, email: string): Promise<IssueUser> {
  return call(() => IssueService.SetUser(name, email))
}

/** onIssue subscribes to the Go "issue" event and returns the unsubscribe function. */
export function onIssue(handler: (e: IssueEvent) => void): () => void {
  return EventsOn('issue', (payload: unknown) => {
    if (!payload || typeof payload !== 'object') return
    const p = payload as Partial<IssueEvent>
    if (typeof p.issue !== 'number') return
    handler({ issue: p.issue, kind: p.kind ?? 'changed', taskId: p.taskId ?? '', message: p.message ?? '' })
  })
}
