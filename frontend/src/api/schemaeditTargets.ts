// The schema editor on several databases: the facade over SchemaEditService.PreviewTargets
// (app/schemaedit.go, internal/schemaedit PlanDatabases). Re-exported by api/index.ts.
// The session's edits are applied to each database's own model (its latest snapshot); each
// database gets its own migration, or the reason it has none (naming the database and the op).
import * as SchemaEditService from '../../wailsjs/go/app/SchemaEditService'
import { call } from './errors'
import { editReview } from './schemaedit'
import type { EditHazard, EditProblem, EditRename, EditReview, EditStatement } from './schemaedit'

/** The session's edits planned on one database. */
export interface TargetPreview {
  databaseId: string
  databaseName: string
  /** the database's environment is protected: planned online unless the user chose otherwise */
  production: boolean
  sql: string
  statements: EditStatement[]
  renames: EditRename[]
  warnings: string[]
  problems: EditProblem[]
  /** '' when the database has a migration; else why not, naming the database (and the op) */
  error: string
  /** the operation refused on this database's model (from 1), 0 when none is at fault */
  errorOp: number
  errorDetail: string
  /** this database's migration reviewed under its environment's policy */
  review?: EditReview
}

/** The session's edits planned on several databases, in the order asked. */
export interface TargetsPreview {
  online: boolean
  /** every database has a migration: an issue with one task per database can be created */
  ok: boolean
  targets: TargetPreview[]
}

type Raw = Record<string, unknown> | null | undefined
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
const s = (v: unknown): string => (typeof v === 'string' ? v : '')

/** targetsPreview normalises what Go sends (nil slices as null) into the shape the UI reads. */
export function targetsPreview(r: Raw): TargetsPreview {
  return {
    online: !!r?.online,
    ok: !!r?.ok,
    targets: arr<Raw>(r?.targets).map((t) => ({
      databaseId: s(t?.databaseId),
      databaseName: s(t?.databaseName),
      production: !!t?.production,
      sql: s(t?.sql),
      statements: arr<Raw>(t?.statements).map((st) => ({
        sql: s(st?.sql),
        hazards: arr<EditHazard>(st?.hazards),
        transactional: !!st?.transactional,
        object: s(st?.object),
      })),
      renames: arr<EditRename>(t?.renames),
      warnings: arr<string>(t?.warnings),
      problems: arr<EditProblem>(t?.problems),
      error: s(t?.error),
      errorOp: typeof t?.errorOp === 'number' ? t.errorOp : 0,
      errorDetail: s(t?.errorDetail),
      review: editReview(t?.review),
    })),
  }
}

/**
 * previewEditTargets applies the session's edits to each database's own model and plans each
 * (nothing is created or applied); the session's database keeps the model being edited.
 */
export async function previewEditTargets(sessionId: string, databaseIds: string[], online: boolean): Promise<TargetsPreview> {
  return targetsPreview((await call(() => SchemaEditService.PreviewTargets(sessionId, databaseIds, online))) as unknown as Raw)
}
