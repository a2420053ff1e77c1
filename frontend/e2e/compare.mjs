// End-to-end scenario of Compare schemas: two databases of the test cluster are made to differ
// (psql, as their owner), compared in the UI, and the migration shows its statements with
// hazard badges; the plan is validated on a scratch database of the running sample instance.
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

/** compareDatabases runs after the sample instance was started (its server holds the scratch databases). */
export async function compareDatabases({ page, tid, pg, shot, expectText, nav }) {
  // The database selects are filterable: type the label, then Enter picks the one option left.
  const choose = async (testid, label) => {
    await tid(testid).click()
    await page.keyboard.type(label)
    await page.locator('.n-base-select-option:visible', { hasText: label }).first().waitFor()
    await page.keyboard.press('Enter')
    await expectText(tid(testid), label, `${testid} selection`)
  }
  const [source, target] = pg.databases
  psql(pg, source, 'CREATE TABLE public.items (id integer PRIMARY KEY, name text NOT NULL, note text)')
  psql(pg, target, 'CREATE TABLE public.items (id integer PRIMARY KEY, name text NOT NULL); CREATE INDEX items_name_idx ON public.items (name)')

  // "Compare with…" on the database page opens Compare schemas with that database as the source
  await nav('databases')
  await tid(`db-row-${source}`).locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await tid('database-compare').click()
  await tid('compare-view').waitFor()
  await tid('compare-empty').waitFor()
  await expectText(tid('source-database'), `local-pg / ${source}`, 'source from the database page')
  await choose('target-database', `local-pg / ${target}`)
  await tid('compare-run').click()
  await tid('migration-panel').waitFor({ timeout: 120_000 })
  await expectText(tid('compare-validation'), 'Validated', 'validation outcome')
  await expectText(tid('migration-statements'), 'DROP COLUMN note', 'migration statements')
  await expectText(tid('migration-statements'), 'CREATE INDEX items_name_idx', 'migration statements')
  await tid('migration-statements').locator('[data-hazard="deletes_data"]').first().waitFor()
  await tid('migration-statements').locator('[data-hazard="builds_index"]').first().waitFor()
  // the hazard's message is the badge's tooltip
  await tid('migration-statements').locator('[data-hazard="deletes_data"]').first().hover()
  await page.locator('.n-tooltip', { hasText: 'and its data' }).first().waitFor()
  await shot('20-compare-migration')
  await page.locator('.n-tabs-tab[data-name="ddl"]').click()
  await tid('ddl-merge').locator('.cm-mergeView').waitFor()
  await expectText(tid('ddl-merge'), 'items_name_idx', 'DDL side by side')
  await shot('21-compare-ddl')

  // the same database on both sides: nothing to do
  await choose('target-database', `local-pg / ${source}`)
  await tid('compare-run').click()
  await tid('compare-identical').waitFor({ timeout: 120_000 })
  await expectText(tid('compare-identical'), 'Schemas are identical', 'identical schemas')
}
