// Change history: the facade over HistoryService (app/history.go). Re-exported by api/index.ts.
import * as HistoryService from '../../wailsjs/go/app/HistoryService'
import { app } from '../../wailsjs/go/models'
import { call } from './errors'

export type ChangeType = 'ddl' | 'dml' | 'baseline'
export type ChangeStatus = 'done' | 'started' | 'failed'
/** ui: applied from this app; git; cli: `tidemark migrate` on this machine; other machine. */
export type ChangeSource = 'ui' | 'git' | 'cli' | 'other machine'

/** One attempt to apply a change to a database. */
export interface Change {
  id: string
  databaseId: string
  runId: string
  version: string
  type: ChangeType | string
  status: ChangeStatus | string
  description: string
  checksum: string
  source: ChangeSource | string
  appliedBy: string
  host: string
  durationMs: number
  error: string
  sqlstate: string
  failedStatement: string
  failedLine: number
  beforeSnapshotId: string
  afterSnapshotId: string
  /** found in the target's history, written elsewhere (another machine, the CLI, CI) */
  seenOnSync: boolean
  /** RFC3339 */
  appliedAt: string
  recordedAt: string
  /** the issue whose rollout applied the change (0: none) */
  issue: number
}

/** A schema object a change added, dropped or altered (from the structured models). */
export interface ObjectChange {
  action: 'added' | 'dropped' | 'altered'
  /** table, view, function, type, sequence, schema, extension, ... */
  kind: string
  schema: string
  name: string
}

/**
 * A change with its statement and the DDL of the snapshots before and after it, rendered object
 * by object in one order so unchanged objects line up.
 */
export interface ChangeDetail {
  change: Change
  statement: string
  beforeDdl: string
  afterDdl: string
  hasBefore: boolean
  hasAfter: boolean
  /** what changed; empty when nothing did or when a snapshot is missing (hasObjects false) */
  objects: ObjectChange[]
  hasObjects: boolean
}

/** A change written in the app. */
export interface ApplyChangeRequest {
  databaseId: string
  version: string
  type: ChangeType
  description: string
  statement: string
  /** required for a production environment or a destructive statement */
  confirm: boolean
}

/** Whether applying needs an explicit confirmation, and why. */
export interface ApplyCheck {
  databaseName: string
  environmentName: string
  production: boolean
  /** "line 3: DROP TABLE", ... */
  destructive: string[]
  needsConfirm: boolean
}

function request(r: ApplyChangeRequest): app.ApplyChangeRequest {
  return app.ApplyChangeRequest.createFrom({ ...r })
}

function changes(list: app.Change[] | null | undefined): Change[] {
  return (list ?? []) as Change[]
}

export async function listChanges(databaseId: string): Promise<Change[]> {
  return changes(await call(() => HistoryService.List(databaseId)))
}

/** reconcileChanges adds the rows of the target's history the workspace has not seen. */
export async function reconcileChanges(databaseId: string): Promise<Change[]> {
  return changes(await call(() => HistoryService.Reconcile(databaseId)))
}

export async function getChange(databaseId: string, changeId: string): Promise<ChangeDetail> {
  const d = (await call(() => HistoryService.Get(databaseId, changeId))) as ChangeDetail
  // Go sends a nil slice as null: the UI always gets an array.
  return { ...d, objects: d.objects ?? [] }
}

export async function checkChange(r: ApplyChangeRequest): Promise<ApplyCheck> {
  const c = (await call(() => HistoryService.Check(request(r)))) as ApplyCheck
  return { ...c, destructive: c.destructive ?? [] }
}

export function applyChange(r: ApplyChangeRequest): Promise<Change> {
  return call(() => HistoryService.Apply(request(r))) as Promise<Change>
}

/** suggestVersion is a timestamp-style version (YYYYMMDDHHMMSS, UTC) for a new change. */
export function suggestVersion(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}` +
    `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`
  )
}
