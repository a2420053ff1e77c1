// The Bitbucket tutorial's approval setup end to end: a Project Owner, a DBA and a Releaser are
// added in the Risk Center; a DROP TABLE in Prod is high risk, so the "Project Owner → DBA" flow
// applies. Acting as each member in turn (chosen in Settings): the Project Owner approves step 1
// and is refused step 2 with the DBA role named; the DBA approves step 2; the Releaser rolls out
// and the issue is done. Runs after issues.mjs (demo in Prod holds t1) and risk.mjs.
import { rolloutTask } from './steps.mjs'
export async function approvalFlow({ page, tid, nav, expectText, shot, waitFor, chooseOption }) {
  const tab = (name) => page.locator('.n-tabs-tab', { hasText: name }).first()
  const people = [
    ['Pat Owner', 'pat@example.com', 'Project Owner'],
    ['Dana Dba', 'dana@example.com', 'DBA'],
    ['Rae Releaser', 'rae@example.com', 'Releaser'],
  ]
  await nav('risk')
  await tab('Members').click()
  await tid('member-list').waitFor()
  for (const [name, email, role] of people) {
    await tid('member-new-name').locator('input').fill(name)
    await tid('member-new-email').locator('input').fill(email)
    await chooseOption('member-new-role', role)
    await tid('member-add').click()
    await expectText(tid(`member-${email}`), role, `${name} listed with ${role}`)
  }
  await shot('approval-01-members')

  // a high-risk change: DROP TABLE on demo in Prod
  await nav('databases')
  await tid('db-row-demo').locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await tid('database-alter').click()
  await tid('alter-drawer').waitFor()
  await tid('alter-sql').locator('.cm-content').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.type('DROP TABLE t1;')
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  const issueURL = page.url()
  await tid('issue-checks').waitFor()
  await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  await expectText(tid('flow-risk'), 'high', 'DROP TABLE in Prod is high risk')
  await expectText(tid('flow-template'), 'Project Owner → DBA', 'the flow of high risk')
  await expectText(tid('flow-step-1'), 'Pat Owner <pat@example.com>', 'the Project Owner can approve step 1')
  await expectText(tid('flow-step-2'), 'Dana Dba <dana@example.com>', 'the DBA can approve step 2')
  await shot('approval-02-issue-pending')

  const actAs = async (name, role) => {
    await nav('settings')
    await chooseOption('user-member', name)
    await expectText(tid('acting-as-name'), name, `acting as ${name}`)
    await expectText(tid('acting-as'), role, `${name}'s role`)
    await page.goto(issueURL)
    await tid('issue-view').waitFor()
    await tid('issue-approval').waitFor()
  }

  await actAs('Pat Owner', 'Project Owner')
  await shot('approval-03-settings-acting-as')
  await tid('issue-approve').click()
  await expectText(tid('flow-step-1'), 'approved by Pat Owner as Project Owner', 'step 1 approved by the Project Owner')
  await expectText(tid('issue-approval-status'), 'pending', 'step 2 still pending')
  // the DBA step is refused to the Project Owner, with the role named
  await tid('issue-approve').click()
  await expectText(tid('issue-action-error'), 'needs the role DBA', 'the refusal names the role')
  await shot('approval-04-dba-step-refused')

  await actAs('Dana Dba', 'DBA')
  await tid('issue-approve').click()
  await expectText(tid('issue-approval-status'), 'approved', 'the flow approved')
  await expectText(tid('flow-step-2'), 'approved by Dana Dba as DBA', 'step 2 approved by the DBA')

  await actAs('Rae Releaser', 'Releaser')
  await rolloutTask({ tid, waitFor, expectText }, 'demo', 't1 is retired; the warnings were read', 'the task rolled out by the Releaser')
  await expectText(tid('issue-status'), 'done', 'the issue done')
  await shot('approval-05-rolled-out')

  // back to the OS user (the Workspace Admin) for whatever runs next
  await nav('settings')
  await tid('user-default').click()
  await waitFor(async () => !(await tid('acting-as-name').textContent()).includes('Rae'), 'the default user back')
}
