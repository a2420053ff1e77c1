// End-to-end scenario of the schema editor's views, sequences and comments: on the sample's
// hr_test, Alter schema → Schema editor; + View in schema hr, a definition with a typo refused
// with the parser's words, the fixed definition applied in CodeMirror (its columns shown), a
// comment on the view; + Sequence with its increment changed; the sample's view renamed; a
// comment on a constraint from the schema panel; Preview DDL shows CREATE VIEW, COMMENT ON VIEW,
// CREATE SEQUENCE, ALTER VIEW … RENAME and COMMENT ON CONSTRAINT, and no DROP. The session is
// left unsaved.
import { openAlterSchema, openSchemaEditor } from './steps.mjs'

/** typeDefinition replaces the view editor's CodeMirror text with sql, as a user types it. */
async function typeDefinition(page, tid, sql) {
  await tid('schemaedit-view-definition').locator('.cm-content').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(sql)
  await page.keyboard.press('Escape') // close the completion list, if open
}

/** schemaEditorObjects runs once the sample instance is running (project HR, database hr_test). */
export async function schemaEditorObjects({ page, tid, shot, expectText, nav, waitFor }) {
  await openAlterSchema({ tid, nav }, 'hr_test')
  await openSchemaEditor({ tid }, 'schemaedit-node-hr.employees')

  // + View: created with a starter query and opened in the view editor
  await tid('schemaedit-add-view-hr').click()
  await tid('schemaedit-new-object-name').locator('input').fill('employee_names')
  await tid('schemaedit-new-object-create').click()
  await expectText(tid('schemaedit-view-node-hr.employee_names'), 'created', 'the view marked created in the tree')
  await tid('schemaedit-view-editor').waitFor()
  await expectText(tid('schemaedit-view-definition'), 'FROM hr.', 'the starter query reads a table of hr')

  // a typo is refused with PostgreSQL's parser's words; the text stays for fixing
  await typeDefinition(page, tid, 'SELECT e.emp_no FORM hr.employees e')
  await tid('schemaedit-view-apply').click()
  await expectText(tid('schemaedit-error'), 'not valid SQL: syntax error', 'the syntax error refused')
  await expectText(tid('schemaedit-view-definition'), 'FORM hr.employees', 'the refused text kept')

  // the fixed definition applies; the view's columns follow
  await typeDefinition(page, tid, 'SELECT e.emp_no, e.first_name, e.last_name FROM hr.employees e WHERE e.emp_no > 0')
  await tid('schemaedit-view-apply').click()
  await expectText(tid('schemaedit-view-columns'), 'emp_no, first_name, last_name', 'the view columns from its query')
  await waitFor(async () => !(await tid('schemaedit-error').isVisible()), 'the refusal to clear')

  // a comment on the view
  await tid('schemaedit-view-comment').locator('input').fill('who works here')
  await tid('schemaedit-view-comment').locator('input').press('Enter')
  await expectText(tid('schemaedit-op-count'), '3 edits', 'create, alter and comment staged')
  await page.waitForTimeout(300)
  await shot('96-schemaedit-view')

  // + Sequence, then its increment
  await tid('schemaedit-add-sequence-hr').click()
  await tid('schemaedit-new-object-name').locator('input').fill('ticket_no')
  await tid('schemaedit-new-object-create').click()
  await expectText(tid('schemaedit-sequence-node-hr.ticket_no'), 'created', 'the sequence marked created')
  await tid('schemaedit-sequence').waitFor()
  await waitFor(async () => (await tid('schemaedit-sequence-max').locator('input').inputValue()) === '9223372036854775807', 'the bigint maximum shown exactly')
  await tid('schemaedit-sequence-increment').locator('input').fill('5')
  await tid('schemaedit-sequence-save').click()
  await expectText(tid('schemaedit-op-count'), '5 edits', 'the sequence created and altered')
  await shot('97-schemaedit-sequence')

  // an existing view renamed: a rename, never a drop
  await tid('schemaedit-view-node-hr.current_dept_salaries').click()
  await tid('schemaedit-view-editor').waitFor()
  await tid('schemaedit-view-name').locator('input').fill('dept_salaries_now')
  await tid('schemaedit-view-name').locator('input').press('Enter')
  await expectText(tid('schemaedit-view-node-hr.dept_salaries_now'), 'changed', 'the renamed view marked changed')

  // the schema panel: a comment on a constraint of hr.employees
  await tid('schemaedit-schema-open-hr').click()
  await tid('schemaedit-schema-panel').waitFor()
  await tid('schemaedit-schema-panel').locator('.n-collapse-item__header', { hasText: /^\s*employees\s*$/ }).click()
  await tid('schemaedit-constraint-comment-employees_pkey').locator('input').fill('one row per employee')
  await tid('schemaedit-constraint-comment-employees_pkey').locator('input').press('Enter')
  await expectText(tid('schemaedit-op-count'), '7 edits', 'the rename and the constraint comment staged')
  await page.waitForTimeout(300)
  await shot('97b-schemaedit-schema-panel')

  await tid('schemaedit-preview-toggle').click()
  const sql = tid('schemaedit-preview-sql')
  await expectText(sql, 'CREATE VIEW hr.employee_names AS', 'preview: CREATE VIEW')
  await expectText(sql, "COMMENT ON VIEW hr.employee_names IS 'who works here'", 'preview: COMMENT ON VIEW')
  await expectText(sql, 'CREATE SEQUENCE hr.ticket_no', 'preview: CREATE SEQUENCE')
  await expectText(sql, 'INCREMENT BY 5', 'preview: the increment')
  await expectText(sql, 'ALTER VIEW hr.current_dept_salaries RENAME TO dept_salaries_now', 'preview: the view renamed')
  await expectText(sql, "COMMENT ON CONSTRAINT employees_pkey ON hr.employees IS 'one row per employee'", 'preview: COMMENT ON CONSTRAINT')
  const text = (await sql.textContent()) ?? ''
  if (/\bDROP\b/.test(text)) throw new Error(`the preview of new objects drops something: ${text.slice(0, 400)}`)
  await page.waitForTimeout(300)
  await shot('98-schemaedit-objects-preview')

  await tid('schemaedit-modal').locator('.n-card-header__close').click()
  await tid('schemaedit-modal').waitFor({ state: 'detached' })
  await tid('alter-drawer').locator('.n-drawer-header__close').click()
  await tid('alter-drawer').waitFor({ state: 'detached' })
}
