// End-to-end scenario of the schema editor's options: on the sample's hr_test (a test database,
// so the preview is not online and the per-object switches start off), Alter schema → Schema
// editor; on hr.employees an index with an expression key lower(last_name) DESC NULLS LAST
// text_pattern_ops, INCLUDE (first_name), built concurrently; on hr.titles a deferrable,
// initially deferred foreign key to hr.employees added NOT VALID then validated. Preview DDL
// shows CREATE INDEX CONCURRENTLY with the keys and INCLUDE, the DEFERRABLE … NOT VALID
// constraint and its VALIDATE; then the editor is closed without creating an issue.
import { openAlterSchema, openSchemaEditor } from './steps.mjs'

/** schemaEditorOptions runs once the sample instance is running (project HR, database hr_test). */
export async function schemaEditorOptions({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  await openAlterSchema({ tid, nav }, 'hr_test')
  await openSchemaEditor({ tid }, 'schemaedit-node-hr.employees')
  await shot('93a-schemaedit-options-open')
  await tid('schemaedit-node-hr.employees').click()
  await tid('schemaedit-col-first_name').waitFor()

  // an expression index with order, NULLS and an operator class, INCLUDE, built concurrently
  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Indexes/ }).click()
  await tid('schemaedit-index-employees_email_lower_key').waitFor()
  await tid('index-add-expression').click()
  const key = tid('index-key-0')
  await key.waitFor()
  await key.locator('[data-testid="index-key-expression"] input').fill('lower(last_name)')
  await chooseOption('index-key-order', 'DESC')
  await chooseOption('index-key-nulls', 'NULLS LAST')
  await key.locator('[data-testid="index-key-opclass"] input').fill('text_pattern_ops')
  await chooseOption('index-include', 'first_name')
  await page.keyboard.press('Escape')
  await tid('index-name').locator('input').fill('employees_last_name_lower_idx')
  const concurrently = tid('index-concurrently')
  if (await concurrently.evaluate((e) => e.classList.contains('n-switch--active'))) throw new Error('Build concurrently is on for a test database before it is touched')
  await concurrently.click()
  await waitFor(async () => concurrently.evaluate((e) => e.classList.contains('n-switch--active')), 'Build concurrently switched on')
  await page.waitForTimeout(400) // the switch's transition
  await shot('94-schemaedit-options-index-form')
  await tid('index-add').click()
  const idx = tid('schemaedit-index-employees_last_name_lower_idx')
  await expectText(idx, 'created', 'the expression index marked created')
  await expectText(idx, 'text_pattern_ops DESC NULLS LAST', 'its definition shows the key options')
  await expectText(idx, 'INCLUDE (first_name)', 'its definition shows INCLUDE')

  // a deferrable foreign key on hr.titles, added NOT VALID then validated
  await tid('schemaedit-node-hr.titles').click()
  await waitFor(async () => (await tid('schemaedit-table-name').locator('input').inputValue()) === 'titles', 'hr.titles selected')
  await tid('schemaedit-table-tabs').locator('.n-tabs-tab', { hasText: /^Constraints/ }).click()
  await tid('constraint-name').locator('input').fill('titles_emp_no_deferred_fkey')
  await chooseOption('constraint-columns', 'emp_no')
  await page.keyboard.press('Escape')
  await chooseOption('constraint-ref-table', 'hr.employees')
  await tid('constraint-initially-deferred').click()
  await waitFor(async () => (await tid('constraint-deferrable').getAttribute('aria-checked')) === 'true', 'initially deferred makes it deferrable')
  await tid('constraint-not-valid-first').click()
  await shot('95-schemaedit-options-constraint-form')
  await tid('constraint-add').click()
  const fk = tid('schemaedit-constraint-titles_emp_no_deferred_fkey')
  await expectText(fk, 'created', 'the foreign key marked created')
  await expectText(fk, 'DEFERRABLE INITIALLY DEFERRED', 'its definition is deferrable')

  // Preview DDL: the concurrent build and the NOT VALID / VALIDATE pair, nothing dropped
  await tid('schemaedit-preview-toggle').click()
  const sql = tid('schemaedit-preview-sql')
  await expectText(sql, 'CREATE INDEX CONCURRENTLY employees_last_name_lower_idx ON hr.employees USING btree ((lower(last_name)) text_pattern_ops DESC NULLS LAST) INCLUDE (first_name)', 'preview: the concurrent expression index')
  await expectText(sql, 'REFERENCES hr.employees(emp_no) DEFERRABLE INITIALLY DEFERRED NOT VALID', 'preview: the deferrable foreign key added NOT VALID')
  await expectText(sql, 'VALIDATE CONSTRAINT titles_emp_no_deferred_fkey', 'preview: then validated')
  const text = (await sql.textContent()) ?? ''
  if (/\bDROP\b/.test(text)) throw new Error(`the preview drops something: ${text.slice(0, 400)}`)
  await shot('96-schemaedit-options-preview')

  // leave without an issue: the editor, then the Alter schema drawer
  await page.keyboard.press('Escape')
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await page.keyboard.press('Escape')
  await tid('alter-drawer').waitFor({ state: 'detached' })
}
