// Compare schemas: the facade over CompareService (app/compare.go). Re-exported by api/index.ts.
import * as CompareService from '../../wailsjs/go/app/CompareService'
import { app } from '../../wailsjs/go/models'
import { ClipboardSetText } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

export type CompareSideKind = 'database' | 'snapshot' | 'file'

/** One schema of a comparison: a database, a stored snapshot, or SQL (a file path or pasted text). */
export interface CompareSide {
  kind: CompareSideKind
  databaseId: string
  snapshotId: string
  /** a .sql file; ignored when sql is set */
  path: string
  /** pasted SQL; wins over path */
  sql: string
}

export interface CompareRequest {
  source: CompareSide
  target: CompareSide
  online: boolean
  includePrivileges: boolean
}

/** Hazard types as the diff engine names them (stable values). */
export type HazardType =
  | 'deletes_data'
  | 'rewrites_table'
  | 'access_exclusive_lock'
  | 'builds_index'
  | 'validates_constraint'
  | 'breaks_clients'
  | 'non_transactional'
  | 'recreates_dependent'

export interface CompareHazard {
  type: HazardType | string
  message: string
}

export interface CompareStatement {
  sql: string
  hazards: CompareHazard[]
  transactional: boolean
  object: string
  lockTimeoutMs: number
  statementTimeoutMs: number
}

export interface CompareRefusal {
  object: string
  reason: string
}

export type ValidationStatus = 'validated' | 'skipped' | 'refused'

export interface CompareValidation {
  status: ValidationStatus | string
  reason: string
  refusals: CompareRefusal[]
}

export interface CompareUnsupported {
  side: 'source' | 'target' | string
  kind: string
  schema: string
  name: string
  detail: string
}

export interface CompareResult {
  sourceLabel: string
  targetLabel: string
  sourceDdl: string
  targetDdl: string
  statements: CompareStatement[]
  /** the migration as a file: hazards as comments, timeouts as SET */
  script: string
  validation: CompareValidation
  unsupported: CompareUnsupported[]
  columnOrder: string[]
  identical: boolean
  online: boolean
  /** choices made along the way, e.g. privileges left out because a side is SQL */
  notes: string[]
}

export interface CompareSettings {
  scratchInstanceId: string
}

export interface CompareSnapshot {
  id: string
  databaseId: string
  takenAt: string
  fingerprint: string
}

export function emptySide(kind: CompareSideKind = 'database'): CompareSide {
  return { kind, databaseId: '', snapshotId: '', path: '', sql: '' }
}

// Go sends nil slices as null: the UI always gets arrays.
function normalize(r: app.CompareResult | CompareResult): CompareResult {
  const v = (r.validation ?? {}) as Partial<CompareValidation>
  return {
    sourceLabel: r.sourceLabel ?? '',
    targetLabel: r.targetLabel ?? '',
    sourceDdl: r.sourceDdl ?? '',
    targetDdl: r.targetDdl ?? '',
    statements: (r.statements ?? []).map((s) => ({
      sql: s.sql,
      hazards: s.hazards ?? [],
      transactional: s.transactional,
      object: s.object ?? '',
      lockTimeoutMs: s.lockTimeoutMs ?? 0,
      statementTimeoutMs: s.statementTimeoutMs ?? 0,
    })),
    script: r.script ?? '',
    validation: { status: v.status ?? 'skipped', reason: v.reason ?? '', refusals: v.refusals ?? [] },
    unsupported: r.unsupported ?? [],
    columnOrder: r.columnOrder ?? [],
    identical: !!r.identical,
    online: !!r.online,
    notes: r.notes ?? [],
  }
}

function side(s: CompareSide): app.CompareSide {
  return app.CompareSide.createFrom({ ...s })
}

/** compareSchemas plans the migration turning source into target (progress id "compare"). */
export async function compareSchemas(req: CompareRequest): Promise<CompareResult> {
  const r = await call(() =>
    CompareService.Compare(
      app.CompareRequest.createFrom({
        source: side(req.source),
        target: side(req.target),
        online: req.online,
        includePrivileges: req.includePrivileges,
      }),
    ),
  )
  return normalize(r)
}

/** pickSchemaFile opens the native file dialog; '' when cancelled. */
export function pickSchemaFile(): Promise<string> {
  return call(() => CompareService.PickFile())
}

/** saveMigration asks where to save (native dialog) and writes sql; '' when cancelled. */
export function saveMigration(sql: string, defaultName: string): Promise<string> {
  return call(() => CompareService.SaveMigration(sql, defaultName))
}

export function compareSettings(): Promise<CompareSettings> {
  return call(() => CompareService.Settings())
}

export function setScratchInstance(instanceId: string): Promise<CompareSettings> {
  return call(() => CompareService.SetScratchInstance(instanceId))
}

export async function listSnapshots(databaseId: string): Promise<CompareSnapshot[]> {
  return (await call(() => CompareService.Snapshots(databaseId))) ?? []
}

/** copyText puts text on the clipboard (the desktop clipboard, else the browser's). */
export async function copyText(text: string): Promise<void> {
  let ok = false
  try {
    ok = await ClipboardSetText(text)
  } catch {
    ok = false
  }
  if (!ok) await navigator.clipboard.writeText(text)
}
