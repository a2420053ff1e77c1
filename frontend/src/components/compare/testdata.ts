// Builders for the unit tests of the compare page.
import type { CompareResult } from '../../api'

export function compareResult(extra: Partial<CompareResult> = {}): CompareResult {
  const statements = [
    { sql: 'ALTER TABLE public.items ADD COLUMN price numeric', hazards: [], transactional: true, object: 'table:public.items', lockTimeoutMs: 0, statementTimeoutMs: 0 },
    {
      sql: 'CREATE INDEX items_name_idx ON public.items USING btree (name)',
      hazards: [{ type: 'builds_index', message: 'builds an index, blocking writes to public.items until done' }],
      transactional: true,
      object: 'index:public.items_name_idx',
      lockTimeoutMs: 0,
      statementTimeoutMs: 0,
    },
    {
      sql: 'ALTER TABLE public.items DROP COLUMN note',
      hazards: [
        { type: 'deletes_data', message: 'drops column note and its data' },
        { type: 'access_exclusive_lock', message: 'takes an ACCESS EXCLUSIVE lock on public.items' },
      ],
      transactional: true,
      object: 'table:public.items',
      lockTimeoutMs: 0,
      statementTimeoutMs: 0,
    },
  ]
  const script = statements
    .map((s) => s.hazards.map((h) => `-- hazard ${h.type}: ${h.message}\n`).join('') + s.sql + ';\n')
    .join('\n')
  return {
    sourceLabel: 'Local / a',
    targetLabel: 'Local / b',
    sourceDdl: 'CREATE TABLE public.items (\n    id integer NOT NULL,\n    note text\n);\n',
    targetDdl: 'CREATE TABLE public.items (\n    id integer NOT NULL,\n    price numeric\n);\n',
    statements,
    script,
    validation: { status: 'validated', reason: '', refusals: [] },
    unsupported: [],
    columnOrder: [],
    notes: [],
    identical: false,
    online: false,
    ...extra,
  }
}
