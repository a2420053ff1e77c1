// Risk Center end to end: a condition with a typo is marked under its line as it is typed and
// cannot be saved; fixed, the rule is saved and listed; Try it grades a DROP TABLE in Prod as
// high with the "Project Owner → DBA" flow; the members tab lists the workspace user.
export async function riskCenter({ page, tid, nav, expectText, shot, chooseOption }) {
  const tab = (name) => page.locator('.n-tabs-tab', { hasText: name }).first()
  await nav('risk')
  await tid('risk-rule-list').waitFor()
  await expectText(tid('risk-rule-list'), 'Drop table', 'the preset rules')

  await tid('risk-rule-add').click()
  await tid('risk-rule-editor').waitFor()
  await tid('risk-rule-title').locator('input').fill('Billing tables')
  const cond = tid('risk-rule-condition').locator('textarea')
  await cond.fill('tabel_name.startsWith("billing_")')
  await expectText(tid('risk-rule-condition-error'), "undeclared reference to 'tabel_name'", 'the type error under the line')
  await shot('risk-01-condition-error')
  if (!(await tid('risk-rule-save').isDisabled())) throw new Error('a condition that does not compile can be saved')
  await cond.fill('table_name.startsWith("billing_")')
  await tid('risk-rule-condition-error').waitFor({ state: 'detached' })
  await tid('risk-rule-save').click()
  await tid('risk-rule-editor').waitFor({ state: 'detached' })
  await expectText(tid('risk-rule-list'), 'Billing tables', 'the saved rule')

  await tab('Try it').click()
  await tid('risk-try-sql').locator('textarea').fill('DROP TABLE employee;')
  await chooseOption('risk-try-env', 'Prod')
  await tid('risk-try-run').click()
  await expectText(tid('flow-risk'), 'high', 'the level of DROP TABLE')
  await expectText(tid('flow-template'), 'Project Owner → DBA', 'the flow of high risk')
  await expectText(tid('flow-matched'), 'Drop table', 'the matched rule')
  await shot('risk-02-try-it')

  await tab('Approval flows').click()
  await tid('approval-matrix-table').waitFor()
  await tab('Members').click()
  await tid('member-list').waitFor()
  await expectText(tid('member-list'), 'every role', 'the sole member holds every role')
  await shot('risk-03-members')
}
