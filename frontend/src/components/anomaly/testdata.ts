// Test data for the Anomaly Center's components and store.
import type { Anomaly, AnomalyDetail } from '../../api/anomaly'

export function anomaly(over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: 1,
    kind: 'schema_drift',
    severity: 'warning',
    status: 'open',
    instanceId: 'i1',
    instanceName: 'Sample',
    databaseId: 'db1',
    databaseName: 'hr_prod',
    environmentId: 'prod',
    projectId: 'p1',
    subject: '',
    summary: 'Schema drift: 1 object changed since version 20261203101500',
    action: 'Establish a new baseline to accept the change, or revert the drift with the revert migration',
    firstSeen: '2026-12-03T10:20:00Z',
    lastSeen: '2026-12-03T10:40:00Z',
    resolvedAt: '',
    ...over,
  }
}

export function driftDetail(over: Partial<Anomaly> = {}): AnomalyDetail {
  return {
    anomaly: anomaly(over),
    drift: {
      expectedSource: 'change',
      expectedVersion: '20261203101500',
      expectedTakenAt: '2026-12-03T10:15:00Z',
      liveTakenAt: '2026-12-03T10:40:00Z',
      objects: [
        {
          kind: 'table',
          qualifiedName: 'public.t1',
          action: 'altered',
          changes: [{ property: 'column age', action: 'added', from: '', to: 'age integer' }],
          expectedDdl: 'CREATE TABLE public.t1 (\n    id integer\n);\n',
          liveDdl: 'CREATE TABLE public.t1 (\n    id integer,\n    age integer\n);\n',
        },
      ],
      notCompared: [],
      revert: 'ALTER TABLE public.t1 DROP COLUMN age;\n',
      codify: 'ALTER TABLE public.t1 ADD COLUMN age integer;\n',
      revertError: '',
      codifyError: '',
    },
    error: '',
    sqlstate: '',
    migrationVersion: '',
  }
}
