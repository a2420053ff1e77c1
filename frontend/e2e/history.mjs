// End-to-end scenario of the change history: on a database page, "Apply a change" runs
// CREATE TABLE e2e_hist through the migration runner; the Change history tab lists it as done,
// and its detail shows the statement and the schema before and after.

/** applyChange runs once instance local-pg is registered and synced. */
import { fitsWindow } from './fit.mjs'

export async function applyChange({ page, tid, pg, shot, expectText, nav }) {
  const db = pg.databases[0]
  await nav('databases')
  await tid(`db-row-${db}`).locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await expectText(tid('database-view'), db, 'database page title')
  // the tabs appear once the database has a schema snapshot
  await page.locator('[data-testid="database-tabs"], [data-testid="schema-never-synced"]').first().waitFor()
  if (await tid('schema-never-synced').isVisible()) await tid('schema-sync-empty').click()
  await tid('database-tabs').waitFor({ timeout: 60_000 })
  await tid('database-tabs').locator('.n-tabs-tab', { hasText: /^Change history$/ }).click()
  await tid('history-tab').waitFor()

  await tid('history-apply-open').click()
  await tid('history-apply-drawer').waitFor()
  const version = await tid('history-apply-version').locator('input').inputValue()
  if (!/^\d{14}$/.test(version)) throw new Error(`suggested version ${JSON.stringify(version)} is not a timestamp`)
  await tid('history-apply-description').locator('input').fill('e2e history table')
  await tid('history-apply-sql').locator('.cm-content').click()
  await page.keyboard.type('CREATE TABLE e2e_hist(id int primary key)')
  await shot('40-history-apply')
  await tid('history-apply-submit').click()
  // a production database or a destructive statement asks first
  const confirm = page.locator('.n-dialog').getByRole('button', { name: 'Apply' })
  if (await confirm.isVisible({ timeout: 1500 }).catch(() => false)) await confirm.click()

  const row = tid(`history-row-${version}`)
  await row.waitFor({ timeout: 60_000 })
  await expectText(row, 'done', 'applied change status')
  await expectText(row, 'e2e history table', 'applied change description')
  await shot('41-history-list')

  await row.click()
  await tid('history-detail').waitFor()
  await expectText(tid('history-detail-statement'), 'CREATE TABLE e2e_hist', 'change statement')
  await tid('ddl-merge').locator('.cm-editor').first().waitFor()
  await expectText(tid('ddl-merge'), 'e2e_hist', 'schema after the change')
  // the objects the change touched, from the structured models; Tidemark's own schema is not one
  const objects = tid('history-detail-object')
  await objects.first().waitFor()
  const listed = (await objects.allTextContents()).map((t) => t.replace(/\s+/g, ''))
  if (listed.length !== 1 || listed[0] !== 'addedtablepublic.e2e_hist')
    throw new Error(`changed objects ${JSON.stringify(listed)}, want one: added table public.e2e_hist`)
  if ((await tid('ddl-merge').textContent())?.includes('tidemark.migration_history'))
    throw new Error('the before/after view shows Tidemark\'s own schema')
  await fitsWindow(page, tid('history-detail'), 'change detail drawer')
  await shot('42-history-detail')
  await page.keyboard.press('Escape')
}
