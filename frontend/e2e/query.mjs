// End-to-end scenario of the SQL editor on the sample instance: a SELECT shows its grid; a DELETE
// in read-only mode is refused with the allow-list's message; admin mode on hr_prod (production)
// needs the database's name typed; ALTER TABLE … ADD COLUMN runs there, and the new column shows
// in the result of a query; switching back to read-only ends the admin session.

/** sqlEditor runs once the sample instance is running. */
export async function sqlEditor({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  const editor = tid('query-editor').locator('.cm-content')
  const typeSql = async (sql) => {
    await editor.click()
    await editor.fill(sql)
    await expectText(tid('query-editor'), sql.slice(0, 20), 'editor text')
  }
  const run = async () => {
    await tid('query-run').click()
    await waitFor(async () => !(await tid('query-running').isVisible()), 'the run to finish', 30_000)
  }

  await nav('sql-editor')
  await tid('query-browser').waitFor()
  await chooseOption('query-database', 'hr_prod')
  await expectText(tid('query-status'), 'hr_prod', 'status bar database')
  await expectText(tid('query-mode'), 'read-only', 'default mode')
  // the browser shows the database's snapshot: schema hr and its tables
  // (synced when the sample started; a database without a snapshot is synced from its menu)
  const hr = tid('browser-schema-hr.hr')
  await waitFor(async () => (await hr.isVisible()) || (await tid('browser-note-hr_prod').isVisible()) || (await tid('query-browser').locator('.bnode.note').count()) > 0, 'the hr_prod tree', 30_000)
  if (!(await hr.isVisible())) {
    await tid('browser-database-hr_prod').click({ button: 'right' })
    await page.locator('.n-dropdown-option', { hasText: 'Sync schema now' }).click()
    await hr.waitFor({ timeout: 60_000 })
  }
  await shot('69-sql-editor-browser')

  // 1. a SELECT and its grid
  await typeSql('SELECT emp_no, first_name, last_name FROM hr.employees ORDER BY emp_no LIMIT 5')
  await run()
  await tid('result-grid').waitFor()
  await expectText(tid('result-0').locator('[data-testid="result-count"]'), '5 rows', 'row count')
  await expectText(tid('result-grid'), 'first_name', 'column name')
  await expectText(tid('result-grid'), 'integer', 'column type')
  await shot('70-sql-editor-select')

  // completion from the snapshot: the columns of the table the statement names
  await typeSql('SELECT  FROM hr.employees')
  await page.keyboard.press('Home')
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Control+Space')
  await expectText(page.locator('.cm-tooltip-autocomplete'), 'first_name', 'completion of a column of hr.employees')
  await page.keyboard.press('Escape')

  // EXPLAIN: the plan as a tree with costs and rows
  await typeSql('SELECT emp_no FROM hr.employees ORDER BY last_name LIMIT 5')
  await tid('query-explain').click()
  await tid('plan-view').waitFor()
  await expectText(tid('plan-view'), 'Limit', 'plan root')
  await expectText(tid('plan-view'), 'cost', 'plan costs')

  // 2. a DELETE in read-only mode is refused before it is sent; EXPLAIN ANALYZE is not offered
  if (await tid('query-explain-analyze').isVisible()) throw new Error('Explain analyze offered in read-only mode')
  await typeSql('DELETE FROM hr.salaries WHERE emp_no = 10001')
  await run()
  await expectText(tid('query-error'), 'DELETE is not a read-only statement', 'refused DELETE')
  await expectText(tid('query-error'), 'allow-list', 'the fence named')
  await shot('71-sql-editor-refused-delete')

  // 3. admin mode on a production database asks for its name
  await tid('query-admin').click()
  const dialog = page.locator('.n-dialog', { hasText: 'Admin mode on a production database' })
  await dialog.waitFor()
  const confirm = dialog.getByRole('button', { name: 'Switch to admin mode' })
  if (!(await confirm.isDisabled())) throw new Error('admin confirmation enabled before the name was typed')
  await tid('query-admin-confirm-name').locator('input').fill('hr_pro')
  if (!(await confirm.isDisabled())) throw new Error('admin confirmation enabled with a wrong name')
  await tid('query-admin-confirm-name').locator('input').fill('hr_prod')
  await shot('72-sql-editor-admin-confirm')
  await confirm.click()
  await dialog.waitFor({ state: 'detached' })
  await expectText(tid('query-admin-banner'), 'Admin mode: statements run as typed, with no review, approval or history', 'admin banner')
  await expectText(tid('query-mode'), 'admin', 'admin mode in the status bar')

  // 4. ALTER TABLE … ADD COLUMN in admin mode, then the column shows in a query's result
  await typeSql('ALTER TABLE hr.departments ADD COLUMN e2e_note text')
  await run()
  await expectText(tid('result-0'), 'ALTER TABLE', 'ALTER TABLE ran')
  await typeSql('SELECT dept_no, e2e_note FROM hr.departments ORDER BY dept_no')
  await run()
  await expectText(tid('result-grid'), 'e2e_note', 'the new column in the result')
  await tid('result-grid').locator('[data-testid="cell-null"]').first().waitFor()
  await shot('73-sql-editor-admin-column')

  // EXPLAIN ANALYZE is offered in admin mode only: actual times, the slowest nodes marked
  await tid('query-explain-analyze').click()
  await tid('plan-view').waitFor()
  await expectText(tid('plan-view'), 'actual', 'actual times')
  await tid('plan-slowest').first().waitFor()
  await shot('73b-sql-editor-explain-analyze')

  // 5. an explicit transaction shows in the status bar; read-only again ends the session
  await typeSql('BEGIN')
  await run()
  await tid('query-in-transaction').waitFor()
  await tid('query-admin').click()
  await tid('query-admin-banner').waitFor({ state: 'detached' })
  await expectText(tid('query-mode'), 'read-only', 'back to read-only')
  await waitFor(async () => !(await tid('query-in-transaction').isVisible()), 'the transaction gone from the status bar')

  // 6. the query history lists the admin statement
  await tid('query-history-open').click()
  await expectText(tid('query-history'), 'ADD COLUMN e2e_note', 'history lists the ALTER')
  await shot('74-sql-editor-history')
  await page.keyboard.press('Escape')
}
