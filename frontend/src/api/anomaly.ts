// The Anomaly Center: the facade over AnomalyService (app/anomaly.go). Anomalies are evaluated
// after each sync; "anomaly:changed" says the list may have changed.
import * as AnomalyService from '../../wailsjs/go/app/AnomalyService'
import { app } from '../../wailsjs/go/models'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

export type AnomalyKind =
  | 'schema_drift'
  | 'instance_connection'
  | 'database_sync'
  | 'modified_migration'
  | 'history_table'
  | 'nontx_started'
  | 'gitops_modified'
  | 'gitops_writeback'

/** The kinds in the order the Anomaly Center offers them, with their labels. */
export const anomalyKinds: { value: AnomalyKind; label: string }[] = [
  { value: 'schema_drift', label: 'Schema drift' },
  { value: 'instance_connection', label: 'Instance connection failure' },
  { value: 'database_sync', label: 'Database sync failure' },
  { value: 'modified_migration', label: 'Modified applied migration' },
  { value: 'history_table', label: 'Missing or damaged history table' },
  { value: 'nontx_started', label: 'Migration left started' },
  { value: 'gitops_modified', label: 'Migration file changed in git after it was applied' },
  { value: 'gitops_writeback', label: 'LATEST write-back failed' },
]

export function kindLabel(kind: string): string {
  return anomalyKinds.find((k) => k.value === kind)?.label ?? kind
}

export interface AnomalyFilter {
  kind?: string
  environmentId?: string
  projectId?: string
  databaseId?: string
  /** include resolved (archived) anomalies */
  all?: boolean
}

export interface Anomaly {
  id: number
  kind: AnomalyKind | string
  /** error or warning */
  severity: string
  /** open or resolved */
  status: string
  instanceId: string
  instanceName: string
  /** empty for an instance's own anomaly */
  databaseId: string
  databaseName: string
  environmentId: string
  projectId: string
  subject: string
  summary: string
  action: string
  /** RFC3339 */
  firstSeen: string
  lastSeen: string
  /** RFC3339, empty while open */
  resolvedAt: string
}

export interface DriftChange {
  property: string
  /** added, dropped, altered */
  action: string
  from: string
  to: string
}

export interface DriftObject {
  kind: string
  qualifiedName: string
  action: string
  changes: DriftChange[]
  expectedDdl: string
  liveDdl: string
}

export interface DriftDetail {
  /** change, baseline or implicit_baseline */
  expectedSource: string
  expectedVersion: string
  expectedTakenAt: string
  liveTakenAt: string
  objects: DriftObject[]
  notCompared: string[]
  revert: string
  codify: string
  revertError: string
  codifyError: string
}

export interface AnomalyDetail {
  anomaly: Anomaly
  drift: DriftDetail
  error: string
  sqlstate: string
  migrationVersion: string
}

function anomalyOf(a: Partial<Anomaly>): Anomaly {
  return {
    id: a.id ?? 0,
    kind: a.kind ?? '',
    severity: a.severity ?? 'warning',
    status: a.status ?? 'open',
    instanceId: a.instanceId ?? '',
    instanceName: a.instanceName ?? '',
    databaseId: a.databaseId ?? '',
    databaseName: a.databaseName ?? '',
    environmentId: a.environmentId ?? '',
    projectId: a.projectId ?? '',
    subject: a.subject ?? '',
    summary: a.summary ?? '',
    action: a.action ?? '',
    firstSeen: a.firstSeen ?? '',
    lastSeen: a.lastSeen ?? '',
    resolvedAt: a.resolvedAt ?? '',
  }
}

export async function listAnomalies(f: AnomalyFilter = {}): Promise<Anomaly[]> {
  const r = await call(() =>
    AnomalyService.List(
      app.AnomalyFilter.createFrom({
        kind: f.kind ?? '',
        environmentId: f.environmentId ?? '',
        projectId: f.projectId ?? '',
        databaseId: f.databaseId ?? '',
        all: f.all ?? false,
      }),
    ),
  )
  return (r ?? []).map((a) => anomalyOf(a))
}

export function openAnomalyCount(): Promise<number> {
  return call(() => AnomalyService.OpenCount())
}

export async function getAnomaly(id: number): Promise<AnomalyDetail> {
  const r = await call(() => AnomalyService.Get(id))
  const d: Partial<DriftDetail> = r.drift ?? {}
  return {
    anomaly: anomalyOf(r.anomaly ?? {}),
    drift: {
      expectedSource: d.expectedSource ?? '',
      expectedVersion: d.expectedVersion ?? '',
      expectedTakenAt: d.expectedTakenAt ?? '',
      liveTakenAt: d.liveTakenAt ?? '',
      objects: (d.objects ?? []).map((o) => ({
        kind: o.kind ?? '',
        qualifiedName: o.qualifiedName ?? '',
        action: o.action ?? '',
        changes: (o.changes ?? []).map((c) => ({ property: c.property ?? '', action: c.action ?? '', from: c.from ?? '', to: c.to ?? '' })),
        expectedDdl: o.expectedDdl ?? '',
        liveDdl: o.liveDdl ?? '',
      })),
      notCompared: d.notCompared ?? [],
      revert: d.revert ?? '',
      codify: d.codify ?? '',
      revertError: d.revertError ?? '',
      codifyError: d.codifyError ?? '',
    },
    error: r.error ?? '',
    sqlstate: r.sqlstate ?? '',
    migrationVersion: r.migrationVersion ?? '',
  }
}

/** Creates the baseline issue that accepts the database's live schema; returns its number. */
export function establishBaseline(databaseId: string): Promise<number> {
  return call(() => AnomalyService.EstablishBaseline(databaseId))
}

/** Creates the schema change issue that reverts a drift anomaly; returns its number. */
export function revertDrift(id: number): Promise<number> {
  return call(() => AnomalyService.RevertDrift(id))
}

/** Subscribes to "anomaly:changed" ({openCount}); returns the unsubscribe function. */
export function onAnomalyChanged(handler: (openCount: number) => void): () => void {
  return EventsOn('anomaly:changed', (payload: unknown) => {
    const n = payload && typeof payload === 'object' ? (payload as { openCount?: unknown }).openCount : undefined
    handler(typeof n === 'number' ? n : -1)
  })
}

