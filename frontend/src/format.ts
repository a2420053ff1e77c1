import { toApiError } from './api'

/** errorText is an error on one line (e.g. under a form field): the message and any SQLSTATE. */
export function errorText(e: unknown): string {
  const err = toApiError(e)
  return err.sqlstate ? `${err.message} (SQLSTATE ${err.sqlstate})` : err.message
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return ''
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`
}

export function formatTime(rfc3339: string): string {
  if (!rfc3339) return ''
  const d = new Date(rfc3339)
  return Number.isNaN(d.getTime()) ? rfc3339 : d.toLocaleString()
}

/** serverLabel names the server: Go sends SHOW server_version ("15.20 (Debian ...)"). */
export function serverLabel(version: string): string {
  return /^postgres/i.test(version) ? version : `PostgreSQL ${version}`
}
