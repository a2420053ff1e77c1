// Labels and tag colours of the change workflow.
type Tag = 'default' | 'success' | 'warning' | 'error' | 'info'

export function statusTag(s: string): Tag {
  switch (s) {
    case 'done':
    case 'success':
    case 'approved':
      return 'success'
    case 'failed':
    case 'error':
    case 'rejected':
      return 'error'
    case 'warning':
    case 'pending':
    case 'ready':
      return 'warning'
    case 'running':
    case 'open':
      return 'info'
  }
  return 'default'
}

export function typeLabel(t: string): string {
  return (
    { schema_change: 'Schema change', data_change: 'Data change', create_database: 'Create database', baseline: 'Baseline' } as Record<string, string>
  )[t] ?? t
}

export function checkLabel(k: string): string {
  return (
    { syntax: 'Syntax', review: 'SQL review', dry_run: 'Dry run', affected_rows: 'Affected rows', summary: 'Summary', drift: 'Drift' } as Record<string, string>
  )[k] ?? k
}

export function words(s: string): string {
  return s.replace(/_/g, ' ')
}
