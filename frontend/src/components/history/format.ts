// Labels and colours of the change history.
import type { Change } from '../../api'

type TagType = 'success' | 'error' | 'warning' | 'info' | 'default'

/** statusTag colours a status: done green, failed red, started (running or stopped partway) amber. */
export function statusTag(status: string): TagType {
  switch (status) {
    case 'done':
      return 'success'
    case 'failed':
      return 'error'
    case 'started':
      return 'warning'
    default:
      return 'default'
  }
}

/** sourceLabel says where a change came from. */
export function sourceLabel(c: Pick<Change, 'source'>): string {
  switch (c.source) {
    case 'ui':
      return 'Tidemark app'
    case 'cli':
      return 'CLI'
    case 'git':
      return 'Git'
    case 'other machine':
      return 'Other machine'
    default:
      return c.source
  }
}

/** durationLabel renders milliseconds for the table. */
export function durationLabel(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}
