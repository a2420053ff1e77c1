// Background sync and Sync now: the facade over MonitorService (app/drift.go).
import * as MonitorService from '../../wailsjs/go/app/MonitorService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

/** The intervals an instance can be synced on, in minutes (0: off). */
export const syncIntervals = [0, 1, 5, 10, 30, 60] as const
export type SyncInterval = (typeof syncIntervals)[number]

/** One database's part of a Sync now. */
export interface DatabaseSynced {
  databaseId: string
  name: string
  /** a new snapshot was stored (the schema changed since the latest one) */
  stored: boolean
  error: string
  sqlstate: string
}

/** The outcome of Sync now on an instance; error: listing its databases failed. */
export interface SyncResult {
  instanceId: string
  error: string
  sqlstate: string
  databases: DatabaseSynced[]
}

/** A finished background sync of an instance (databaseId empty) or a database. */
export interface SyncEvent {
  instanceId: string
  databaseId: string
  stored: boolean
  error: string
  sqlstate: string
  /** RFC3339 */
  at: string
}

export function syncInterval(instanceId: string): Promise<number> {
  return call(() => MonitorService.SyncInterval(instanceId))
}

export function setSyncInterval(instanceId: string, minutes: SyncInterval): Promise<void> {
  return call(() => MonitorService.SetSyncInterval(instanceId, minutes))
}

export async function syncNow(instanceId: string): Promise<SyncResult> {
  const r = await call(() => MonitorService.SyncNow(instanceId))
  return {
    instanceId: r.instanceId,
    error: r.error ?? '',
    sqlstate: r.sqlstate ?? '',
    databases: (r.databases ?? []).map((d) => ({
      databaseId: d.databaseId,
      name: d.name,
      stored: d.stored,
      error: d.error ?? '',
      sqlstate: d.sqlstate ?? '',
    })),
  }
}

/** Subscribes to finished background syncs; returns the unsubscribe function. */
export function onSync(handler: (e: SyncEvent) => void): () => void {
  return EventsOn('monitor:sync', (payload: unknown) => {
    if (!payload || typeof payload !== 'object') return
    const p = payload as Partial<SyncEvent>
    if (typeof p.instanceId !== 'string' || p.instanceId === '') return
    handler({
      instanceId: p.instanceId,
      databaseId: p.databaseId ?? '',
      stored: p.stored ?? false,
      error: p.error ?? '',
      sqlstate: p.sqlstate ?? '',
      at: p.at ?? '',
    })
  })
}
