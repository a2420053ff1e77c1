// Labels of the Anomaly Center, shared by its list, drawer and the database page's banner.
import type { Anomaly, DriftChange, DriftDetail } from '../../api/anomaly'

/** severityTag is the tag colour of a severity. */
export function severityTag(severity: string): 'error' | 'warning' {
  return severity === 'error' ? 'error' : 'warning'
}

/** target names what an anomaly is about: "hr_prod on Sample", or the instance. */
export function targetLabel(a: Anomaly): string {
  return a.databaseId ? `${a.databaseName} on ${a.instanceName}` : a.instanceName
}

/** changeLine reads one changed property: "column age added: age integer". */
export function changeLine(c: DriftChange): string {
  const one = (s: string) => s.replace(/\s+/g, ' ').trim()
  if (c.action === 'added') return `${c.property} added: ${one(c.to)}`
  if (c.action === 'dropped') return `${c.property} dropped: ${one(c.from)}`
  if (c.property === 'definition' && /\n/.test(c.from + c.to)) return 'definition changed'
  return `${c.property} changed: ${one(c.from)} → ${one(c.to)}`
}

/** expectedLabel says what the expected schema stands for. */
export function expectedLabel(d: DriftDetail, when: (t: string) => string): string {
  if (d.expectedSource === 'baseline') return `baseline ${d.expectedVersion}`
  if (d.expectedSource === 'change') return `version ${d.expectedVersion}`
  return `the first sync (${when(d.expectedTakenAt)}), the implicit baseline`
}
