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

