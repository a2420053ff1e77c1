// End-to-end scenario of the schema editor, as in the tutorial: on the sample's hr_test, Alter
// schema → Schema editor; a new table t1 with a column name and an index, a column of an
// existing table renamed; Preview DDL shows CREATE TABLE and RENAME COLUMN and no DROP; Preview
// issue fills the Alter schema issue's SQL and the issue is created with it. Then the ER
// diagram: in a new editor session a table with a foreign key and an index shows as a new box
// with a new edge, marked created; the database page's Diagram tab draws the snapshot, and a
// double-click there opens the schema editor on that table.
import { openAlterSchema, openSchemaEditor } from './steps.mjs'

/** schemaEditor runs once the sample instance is running (project HR, database hr_test). */
export async function schemaEditor({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  await openAlterSchema({ tid, nav }, 'hr_test')
  await openSchemaEditor({ tid }, 'schemaedit-node-hr.employees')

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
  // the migration is reviewed under hr_test's environment policy, inline
  await expectText(tid('schemaedit-preview-review'), 'policy', 'preview carries the review of its migration')
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

  await erDiagram({ page, tid, shot, expectText, nav, waitFor, chooseOption })
}

/** erDiagram: the editor's Diagram view follows a new foreign key and index; the database page draws its snapshot. */
async function erDiagram({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  await openAlterSchema({ tid, nav }, 'hr_test')
  await openSchemaEditor({ tid }, 'schemaedit-node-hr.employees')

  // the diagram of the model as it is: boxes and the sample's foreign keys
  await tid('schemaedit-view-diagram').click()
  await tid('erd-table-hr.employees').waitFor({ timeout: 30_000 })
  await tid('erd-edge-dept_emp_emp_no_fkey').waitFor({ timeout: 30_000 })
  await expectText(tid('erd-col-hr.employees.emp_no'), 'PK', 'employees.emp_no marked PK')
  if (await tid('erd-edge-assignments_emp_no_fkey').count()) throw new Error('the new foreign key is drawn before it is added')

  // a table hr.assignments with emp_no integer, a foreign key to hr.employees and an index on it
  await tid('schemaedit-view-table').click()
  await tid('schemaedit-add-table-hr').click()
  await tid('schemaedit-new-table-name').locator('input').fill('assignments')
  await tid('schemaedit-new-table-create').click()
  await expectText(tid('schemaedit-node-hr.assignments'), 'created', 'assignments marked created')
  await tid('schemaedit-add-column').click()
  const added = tid('schemaedit-col-new_column')
  await added.waitFor()
  await added.locator('[data-testid="col-name"] input').fill('emp_no')
  await added.locator('[data-testid="col-name"] input').press('Enter')
  const empNo = tid('schemaedit-col-emp_no')
  await empNo.waitFor()
  await empNo.locator('[data-testid="col-type"] input').fill('integer')
  await empNo.locator('[data-testid="col-type"] input').press('Enter')
  await waitFor(async () => (await tid('schemaedit-col-emp_no').locator('[data-testid="col-type"] input').inputValue()) === 'integer', 'emp_no typed integer')

  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Constraints/ }).click()
  await chooseOption('constraint-columns', 'emp_no')
  await page.keyboard.press('Escape')
  await chooseOption('constraint-ref-table', 'hr.employees')
  await tid('constraint-add').click()
  await expectText(tid('schemaedit-constraint-assignments_emp_no_fkey'), 'created', 'foreign key marked created')
  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Indexes/ }).click()
  await chooseOption('index-columns', 'emp_no')
  await page.keyboard.press('Escape')
  await tid('index-add').click()
  await expectText(tid('schemaedit-index-assignments_emp_no_idx'), 'created', 'index marked created')

  // the diagram shows the new box and the new edge, marked created
  await tid('schemaedit-view-diagram').click()
  const edge = tid('erd-edge-assignments_emp_no_fkey')
  await edge.waitFor({ timeout: 30_000 })
  const edgeId = await edge.getAttribute('data-edge-id')
  if (edgeId !== 'hr.assignments/assignments_emp_no_fkey') throw new Error(`the new edge is ${edgeId}`)
  if ((await edge.getAttribute('data-mark')) !== 'created') throw new Error('the new edge is not marked created')
  if ((await tid('erd-table-hr.assignments').getAttribute('data-mark')) !== 'created') throw new Error('the new box is not marked created')
  await expectText(tid('erd-col-hr.assignments.emp_no'), 'FK', 'assignments.emp_no marked FK')
  // a click on hr.employees highlights its neighbours, the new table among them; search centres a table
  await tid('erd-table-hr.employees').dispatchEvent('click')
  await waitFor(async () => (await tid('erd-table-hr.assignments').getAttribute('data-state')) === 'near', 'hr.assignments highlighted as a neighbour of hr.employees')
  await tid('erd-search').locator('input').fill('assign')
  await page.keyboard.press('Enter')
  await waitFor(async () => (await tid('erd-table-hr.assignments').getAttribute('data-state')) === 'focus', 'search focuses hr.assignments')
  await page.waitForTimeout(400) // the centring animation
  await shot('94-schemaedit-diagram')

  // leave the session unsaved; the database page's Diagram tab draws the latest snapshot
  await tid('schemaedit-modal').locator('.n-card-header__close').click()
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await tid('alter-drawer').locator('.n-drawer-header__close').click()
  await tid('alter-drawer').waitFor({ state: 'detached' })
  await tid('database-tabs').locator('.n-tabs-tab', { hasText: /^Diagram$/ }).click()
  await tid('db-diagram').locator('[data-testid="erd-table-hr.employees"]').waitFor({ timeout: 30_000 })
  await tid('db-diagram').locator('[data-testid="erd-edge-dept_emp_emp_no_fkey"]').waitFor({ timeout: 30_000 })
  if (await tid('db-diagram').locator('[data-testid="erd-table-hr.assignments"]').count()) throw new Error('an unsaved editor table is drawn on the database page')
  const boxes = await tid('db-diagram').locator('[data-testid^="erd-table-"]').count()
  if (boxes < 5) throw new Error(`the database diagram draws ${boxes} tables`)
  await tid('db-diagram').locator('[data-testid="erd-canvas"][data-laying-out="false"]').waitFor()
  await page.waitForTimeout(600) // the tab's transition
  await shot('95-database-diagram')

  // a double-click on a box opens Alter schema's schema editor on that table
  await tid('db-diagram').locator('[data-testid="erd-table-hr.departments"]').dispatchEvent('dblclick')
  await tid('schemaedit').waitFor({ timeout: 60_000 })
  await tid('schemaedit-col-dept_no').waitFor()
  await tid('schemaedit-modal').locator('.n-card-header__close').click()
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await tid('alter-drawer').locator('.n-drawer-header__close').click()
  await tid('alter-drawer').waitFor({ state: 'detached' })
}
