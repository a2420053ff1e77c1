// End-to-end scenario of the schema editor on several databases: on the sample's hr_test,
// Alter schema with hr_prod picked too → Schema editor → a new table hr.audit_log with a column
// note → Preview DDL shows one tab per database, each with its own CREATE TABLE → Preview issue
// fills one SQL per database in Alter schema → the issue is created with two tasks, hr_test in
// Test and hr_prod in Prod, each running its own migration.
import { openAlterSchema, openSchemaEditor } from './steps.mjs'

/** schemaEditorMulti runs once the sample instance is running (project HR: hr_test, hr_prod). */
export async function schemaEditorMulti({ page, tid, shot, expectText, nav, waitFor }) {
  await openAlterSchema({ tid, nav }, 'hr_test')
  // hr_test is picked (the page's database); pick hr_prod too
  await tid('alter-db-hr_prod').click()
  await expectText(tid('alter-pipeline'), 'hr_prod', 'pipeline with hr_prod')
  await expectText(tid('alter-pipeline'), 'hr_test', 'pipeline with hr_test')

  await openSchemaEditor({ tid }, 'schemaedit-node-hr.employees')

  // a new table hr.audit_log with a column note
  await tid('schemaedit-add-table-hr').click()
  await tid('schemaedit-new-table-name').locator('input').fill('audit_log')
  await tid('schemaedit-new-table-create').click()
  await expectText(tid('schemaedit-node-hr.audit_log'), 'created', 'audit_log marked created')
  await tid('schemaedit-add-column').click()
  const added = tid('schemaedit-col-new_column')
  await added.waitFor()
  await added.locator('[data-testid="col-name"] input').fill('note')
  await added.locator('[data-testid="col-name"] input').press('Enter')
  await expectText(tid('schemaedit-col-note'), 'created', 'column note marked created')

  // Preview DDL: one tab per database, each planned on its own schema
  await tid('schemaedit-preview-toggle').click()
  await expectText(tid('schemaedit-preview-targets'), 'on 2 databases', 'the preview names two databases')
  await tid('schemaedit-target-tab-hr_test').waitFor({ timeout: 60_000 })
  await tid('schemaedit-target-tab-hr_prod').waitFor()
  await expectText(tid('schemaedit-target-sql-hr_test'), 'CREATE TABLE hr.audit_log', 'hr_test: CREATE TABLE')
  await tid('schemaedit-target-tab-hr_prod').click()
  await expectText(tid('schemaedit-target-sql-hr_prod'), 'CREATE TABLE hr.audit_log', 'hr_prod: CREATE TABLE')
  if (await tid('schemaedit-targets-failed').count()) throw new Error('a database has no migration for a new table')
  await shot('95-schemaedit-multi-preview')

  // Preview issue: one SQL per database in Alter schema
  await tid('schemaedit-use').click()
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await tid('alter-per-database').waitFor()
  await waitFor(async () => /hr_test/.test(await tid('alter-title').locator('input').inputValue()), 'the previewed title')
  await expectText(tid('alter-sql-hr_test'), 'CREATE TABLE hr.audit_log', 'hr_test SQL from the editor')
  await tid('alter-sql-tab-hr_prod').click()
  await expectText(tid('alter-sql-hr_prod'), 'CREATE TABLE hr.audit_log', 'hr_prod SQL from the editor')
  await expectText(tid('alter-preview'), 'one task each with its own SQL', 'the preview says one task per database')
  await shot('96-schemaedit-multi-alter')

  // the issue: two tasks, each with its own SQL
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  await tid('task-hr_test').waitFor()
  await tid('task-hr_prod').waitFor()
  const tasks = await page.locator('[data-testid^="task-hr_"]').filter({ has: page.locator('[data-testid^="task-sql-"]') }).count()
  if (tasks !== 2) throw new Error(`the issue has ${tasks} tasks with SQL, want 2`)
  await expectText(tid('task-sql-hr_test'), 'CREATE TABLE hr.audit_log', 'the hr_test task runs its migration')
  await expectText(tid('task-sql-hr_prod'), 'CREATE TABLE hr.audit_log', 'the hr_prod task runs its migration')
  await shot('97-schemaedit-multi-issue')
}
