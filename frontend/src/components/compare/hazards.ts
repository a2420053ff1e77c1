// How each hazard type of the diff engine is shown.
export type TagType = 'default' | 'error' | 'warning' | 'info' | 'success' | 'primary'

const known: Record<string, { label: string; tag: TagType }> = {
  deletes_data: { label: 'deletes data', tag: 'error' },
  breaks_clients: { label: 'breaks clients', tag: 'error' },
  rewrites_table: { label: 'rewrites table', tag: 'warning' },
  access_exclusive_lock: { label: 'ACCESS EXCLUSIVE lock', tag: 'warning' },
  builds_index: { label: 'builds index', tag: 'info' },
  validates_constraint: { label: 'validation scan', tag: 'info' },
  recreates_dependent: { label: 're-creates dependents', tag: 'primary' },
  non_transactional: { label: 'non-transactional', tag: 'default' },
}

export function hazardLabel(type: string): string {
  return known[type]?.label ?? type.replace(/_/g, ' ')
}

export function hazardTag(type: string): TagType {
  return known[type]?.tag ?? 'default'
}
