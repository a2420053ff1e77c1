// End-to-end scenario of schema sync: a database of its own is created on the test cluster (psql,
// as the test role, so other scenarios' databases are untouched) with a table and a view; after
// the instance is synced, Sync now on the database page reads them, the tree shows the table,
// its DDL appears in the CodeMirror viewer, and the DDL tab holds the whole script.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

function psqlPath() {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : []
  for (const v of versions) {
    const p = `${base}/${v}/bin/psql`
    if (existsSync(p)) return p
  }
  return 'psql'
}

function psql(pg, db, sql) {
  // the password goes through the environment, never the command line
  execFileSync(psqlPath(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db, '-c', sql], {
    env: { ...process.env, PGPASSWORD: pg.password },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

/** syncSchema runs once instance local-pg is registered. */
export async function syncSchema({ page, tid, pg, shot, expectText, nav }) {
  const db = 'schema_e2e'
  psql(pg, pg.databases[0], `CREATE DATABASE ${db}`)
  psql(pg, db, `CREATE SCHEMA shop;
    CREATE TABLE shop.products (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2) CHECK (price >= 0));
    CREATE VIEW shop.product_names AS SELECT name FROM shop.products;
    CREATE TABLE shop.employee_tenure_history_with_a_rather_long_descriptive_name (id int)`)

  await nav('instances')
  await tid('instance-row-local-pg').locator('[data-testid="instance-row-sync"]').click()
  await nav('databases')
  await tid(`db-row-${db}`).waitFor()
  await tid(`db-row-${db}`).locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await expectText(tid('database-view'), db, 'database page title')
  await tid('schema-sync').click()
  const table = tid('schema-node-table:shop.products')
  await table.waitFor({ timeout: 60_000 })
  await expectText(tid('schema-last-sync'), 'Last sync', 'last sync time')
  await shot('30-schema-tree')

  // a long name stays on one line, ends in an ellipsis, and its tooltip shows it whole
  const long = 'employee_tenure_history_with_a_rather_long_descriptive_name'
  const node = tid(`schema-node-table:shop.${long}`)
  await node.waitFor()
  const title = await node.getAttribute('title')
  if (!title?.startsWith(long)) throw new Error(`tree node tooltip ${JSON.stringify(title)} does not name ${long}`)
  const label = node.locator('.label')
  const box = await label.evaluate((e) => ({ lines: Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || '20')), cut: e.scrollWidth > e.clientWidth, overflow: getComputedStyle(e).textOverflow }))
  if (!box.cut || box.overflow !== 'ellipsis' || box.lines > 1) throw new Error(`long tree label: ${JSON.stringify(box)}; want one line cut with an ellipsis`)
  await node.hover()
  await shot('30b-schema-tree-long-name')

  await table.click()
  await tid('object-ddl').locator('.cm-editor').waitFor()
  await expectText(tid('object-ddl'), 'CREATE TABLE shop.products', 'table DDL')
  await expectText(tid('object-ddl'), 'price numeric(10,2)', 'table DDL column')
  await expectText(tid('object-detail-name'), 'shop.products', 'object name')
  await shot('31-schema-object')

  await tid('database-tabs').locator('.n-tabs-tab', { hasText: /^DDL$/ }).click()
  await expectText(tid('database-ddl'), 'CREATE VIEW shop.product_names', 'whole-database DDL')
  await shot('32-schema-ddl')
}
