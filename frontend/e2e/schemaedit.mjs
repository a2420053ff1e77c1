// End-to-end scenario of the schema editor, as in the tutorial: on the sample's hr_test, Alter
// schema → Schema editor; a new table t1 with a column name and an index, a column of an
// existing table renamed; Preview DDL shows CREATE TABLE and RENAME COLUMN and no DROP; Preview
// issue fills the Alter schema issue's SQL and the issue is created with it.

/** schemaEditor runs once the sample instance is running (project HR, database hr_test). */
export async function schemaEditor({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  await nav('databases')
  await tid('db-row-hr_test').locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await tid('database-alter').click()
  await tid('alter-drawer').waitFor()
  await tid('alter-open-editor').click()
  await tid('schemaedit').waitFor({ timeout: 60_000 })
  await tid('schemaedit-node-hr.employees').waitFor()

  // a new table t1 in schema hr, selected at once, with its id key
  await tid('schemaedit-add-table-hr').click()
  await tid('schemaedit-new-table-name').locator('input').fill('t1')
  await tid('schemaedit-new-table-create').click()
  await expectText(tid('schemaedit-node-hr.t1'), 'created', 't1 marked created in the tree')
  await tid('schemaedit-col-id').waitFor()

  // Add column, then name it in the grid
  await tid('schemaedit-add-column').click()
  const added = tid('schemaedit-col-new_column')
  await added.waitFor()
  await added.locator('[data-testid="col-name"] input').fill('name')
  await added.locator('[data-testid="col-name"] input').press('Enter')
  await expectText(tid('schemaedit-col-name'), 'created', 'column name marked created')
  await expectText(tid('schemaedit-op-count'), '3 edits', 'three edits staged (create, add, rename)')

  // an index on t1(name)
  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Indexes/ }).click()
  await chooseOption('index-columns', 'name')
  await page.keyboard.press('Escape')
  await tid('index-add').click()
  await expectText(tid('schemaedit-index-t1_name_idx'), 'created', 'index marked created')
  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Columns/ }).click()
  await shot('90-schemaedit-new-table')

  // rename a column of an existing table: a rename, never a drop
  await tid('schemaedit-node-hr.departments').click()
  const cost = tid('schemaedit-col-cost_center')
  await cost.waitFor()
  await cost.locator('[data-testid="col-name"] input').fill('cost_centre')
  await cost.locator('[data-testid="col-name"] input').press('Enter')
  await expectText(tid('schemaedit-col-cost_centre'), 'changed', 'renamed column marked changed')

  // undo and redo the rename
  await tid('schemaedit-undo').click()
  await tid('schemaedit-col-cost_center').waitFor()
  await tid('schemaedit-redo').click()
  await tid('schemaedit-col-cost_centre').waitFor()

  await tid('schemaedit-preview-toggle').click()
  const sql = tid('schemaedit-preview-sql')
  await expectText(sql, 'CREATE TABLE hr.t1', 'preview: CREATE TABLE')
  await expectText(sql, 'RENAME COLUMN cost_center TO cost_centre', 'preview: RENAME COLUMN')
  await expectText(sql, 'CREATE INDEX t1_name_idx', 'preview: CREATE INDEX')
  const text = (await sql.textContent()) ?? ''
  if (/\bDROP\b/.test(text)) throw new Error(`the preview of a rename drops something: ${text.slice(0, 400)}`)
  await expectText(tid('schemaedit-preview-renames'), 'cost_center → cost_centre', 'preview names the rename')
  await shot('91-schemaedit-preview')

  // Preview issue: the migration becomes the Alter schema issue's SQL
  await tid('schemaedit-use').click()
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await waitFor(async () => (await tid('alter-title').locator('input').inputValue()) === 'Alter schema of hr_test', 'the previewed title')
  await expectText(tid('alter-sql'), 'CREATE TABLE hr.t1', 'the issue SQL from the editor')
  await shot('92-schemaedit-alter-drawer')
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), 'Alter schema of hr_test', 'issue title')
  await expectText(tid('task-sql-hr_test'), 'CREATE TABLE hr.t1', 'the task runs the editor migration')
  await expectText(tid('task-sql-hr_test'), 'RENAME COLUMN cost_center TO cost_centre', 'the task renames')
  // the checks run the migration on a scratch copy: the dry run passes
  await tid('issue-checks').waitFor()
  await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  const dry = ((await tid('check-dry_run-status').textContent()) ?? '').trim()
  if (dry.includes('error')) throw new Error(`the dry run of the editor's migration failed: ${dry}`)
  await tid('check-dry_run').locator('.n-collapse-item__header').click()
  await expectText(tid('check-dry_run-detail'), 't1', 'dry run: t1')
  await page.waitForTimeout(400) // the panel's opening transition
  await shot('93-schemaedit-issue')
}
