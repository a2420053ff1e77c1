import type { Change } from '../../api'

/** change is a done change applied from the app; override what a test needs. */
export function change(over: Partial<Change> = {}): Change {
  return {
    id: 'c1',
    databaseId: 'db1',
    runId: 'run-1',
    version: '20260301120000',
    type: 'ddl',
    status: 'done',
    description: 'add invoices',
    checksum: 'sha256:v1:abc',
    source: 'ui',
    appliedBy: 'ann',
    host: 'laptop',
    durationMs: 42,
    error: '',
    sqlstate: '',
    failedStatement: '',
    failedLine: 0,
    beforeSnapshotId: 's1',
    afterSnapshotId: 's2',
    seenOnSync: false,
    issue: 0,
    appliedAt: '2026-03-01T12:00:00Z',
    recordedAt: '2026-03-01T12:00:01Z',
    ...over,
  }
}
