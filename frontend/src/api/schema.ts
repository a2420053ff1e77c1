// Schema sync and snapshots: the facade over SchemaService (app/schema.go). Re-exported by api/index.ts.
import * as SchemaService from '../../wailsjs/go/app/SchemaService'
import { ClipboardSetText } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

/** An object a sync could not model (unsupported) or a schema it could not read (skipped). */
export interface SchemaObject {
  kind: string
  schema: string
  name: string
  detail: string
}

/** One stored schema snapshot, without its contents. */
export interface SnapshotInfo {
  id: string
  databaseId: string
  /** RFC3339 */
  takenAt: string
  durationMs: number
  fingerprint: string
  /** "15.14" */
  serverVersion: string
  modelSize: number
  ddlSize: number
  unsupported: SchemaObject[]
  skipped: SchemaObject[]
}

export interface SchemaCounts {
  schemas: number
  tables: number
  views: number
  materializedViews: number
  functions: number
  procedures: number
  types: number
  sequences: number
}

/** The latest snapshot (synced false when none) and the last sync attempt. */
export interface SchemaSummary {
  databaseId: string
  synced: boolean
  snapshot: SnapshotInfo
  counts: SchemaCounts
  lastAttemptAt: string
  /** set when the last attempt failed; the snapshot is then the previous one */
  lastError: string
  lastSqlstate: string
}

export type SchemaNodeKind =
  | 'group'
  | 'schema'
  | 'extension'
  | 'table'
  | 'view'
  | 'matview'
  | 'function'
  | 'procedure'
  | 'aggregate'
  | 'window'
  | 'type'
  | 'sequence'
  | 'column'
  | 'index'
  | 'constraint'
  | 'trigger'
  | 'policy'

/** A node of the schema tree; ids are stable across syncs for the same object. */
export interface SchemaNode {
  id: string
  label: string
  kind: SchemaNodeKind | string
  detail: string
  children: SchemaNode[]
}

export interface SchemaTree {
  snapshotId: string
  nodes: SchemaNode[]
}

export interface ObjectProperty {
  name: string
  value: string
}

export interface ObjectDetail {
  id: string
  kind: string
  schema: string
  name: string
  /** the table or view of a column, index, constraint, trigger or policy */
  parent: string
  properties: ObjectProperty[]
  ddl: string
}

function snapshotInfo(s: Partial<SnapshotInfo> | null | undefined): SnapshotInfo {
  return {
    id: s?.id ?? '',
    databaseId: s?.databaseId ?? '',
    takenAt: s?.takenAt ?? '',
    durationMs: s?.durationMs ?? 0,
    fingerprint: s?.fingerprint ?? '',
    serverVersion: s?.serverVersion ?? '',
    modelSize: s?.modelSize ?? 0,
    ddlSize: s?.ddlSize ?? 0,
    unsupported: s?.unsupported ?? [],
    skipped: s?.skipped ?? [],
  }
}

function summary(s: Partial<SchemaSummary>): SchemaSummary {
  return {
    databaseId: s.databaseId ?? '',
    synced: s.synced ?? false,
    snapshot: snapshotInfo(s.snapshot),
    counts: {
      schemas: 0,
      tables: 0,
      views: 0,
      materializedViews: 0,
      functions: 0,
      procedures: 0,
      types: 0,
      sequences: 0,
      ...(s.counts ?? {}),
    },
    lastAttemptAt: s.lastAttemptAt ?? '',
    lastError: s.lastError ?? '',
    lastSqlstate: s.lastSqlstate ?? '',
  }
}

function node(n: Partial<SchemaNode>): SchemaNode {
  return { id: n.id ?? '', label: n.label ?? '', kind: n.kind ?? '', detail: n.detail ?? '', children: (n.children ?? []).map(node) }
}

/** schemaSummary: the latest snapshot's facts and the last sync attempt of a database. */
export async function schemaSummary(databaseId: string): Promise<SchemaSummary> {
  return summary(await call(() => SchemaService.Summary(databaseId)))
}

/** syncSchema reads the database's schema into a new snapshot (progress id "schema-sync-<id>"). */
export async function syncSchema(databaseId: string): Promise<SchemaSummary> {
  return summary(await call(() => SchemaService.Sync(databaseId)))
}

/** latestSnapshot: the newest snapshot; its id is '' when the database was never synced. */
export async function latestSnapshot(databaseId: string): Promise<SnapshotInfo> {
  return snapshotInfo(await call(() => SchemaService.Latest(databaseId)))
}

/** schemaSnapshots: the database's snapshots, newest first. */
export async function schemaSnapshots(databaseId: string): Promise<SnapshotInfo[]> {
  return ((await call(() => SchemaService.Snapshots(databaseId))) ?? []).map(snapshotInfo)
}

export async function schemaTree(databaseId: string): Promise<SchemaTree> {
  const t = await call(() => SchemaService.Tree(databaseId))
  return { snapshotId: t?.snapshotId ?? '', nodes: (t?.nodes ?? []).map(node) }
}

export async function schemaObject(databaseId: string, nodeId: string): Promise<ObjectDetail> {
  const d = await call(() => SchemaService.Object(databaseId, nodeId))
  return { ...d, parent: d.parent ?? '', properties: d.properties ?? [], ddl: d.ddl ?? '' }
}

/** schemaDDL: the whole-database DDL of the latest snapshot. */
export function schemaDDL(databaseId: string): Promise<string> {
  return call(() => SchemaService.DDL(databaseId))
}

/** chooseDDLPath opens the native save dialog; '' when cancelled. */
export function chooseDDLPath(databaseId: string): Promise<string> {
  return call(() => SchemaService.ChooseSavePath(databaseId))
}

/** saveDDL writes the whole-database DDL of the latest snapshot to path. */
export function saveDDL(databaseId: string, path: string): Promise<void> {
  return call(() => SchemaService.SaveDDL(databaseId, path))
}

/** copyToClipboard puts text on the desktop clipboard, else the browser's. */
export async function copyToClipboard(text: string): Promise<void> {
  let ok = false
  try {
    ok = await ClipboardSetText(text)
  } catch {
    ok = false
  }
  if (!ok) await navigator.clipboard.writeText(text)
}
