// End-to-end scenario of drift detection, the tutorial's bonus section: on the sample's demo
// database (Prod; table t1 created through an issue by issues.mjs), admin mode in the SQL editor
// runs ALTER TABLE t1 ADD COLUMN age integer outside any issue → Sync now on the database page →
// the banner and the Anomaly Center show the drift with `age` added (per object, DDL side by side,
// revert and codify migrations) → Establish new baseline → the baseline issue lists the drift it
// accepts → approve when a risk rule asks for it → roll out → the drift is gone from the banner and the Anomaly Center.
import { rolloutTask } from './steps.mjs'

/** driftBaseline runs after issues.mjs (demo and its t1 exist). */
export async function driftBaseline({ page, tid, shot, expectText, nav, waitFor, chooseOption }) {
  const editor = tid('query-editor').locator('.cm-content')
  const openDemo = async () => {
    await nav('databases')
    await tid('db-row-demo').locator('[data-testid="db-name"]').click()
    await tid('database-view').waitFor()
  }
  const demoRow = () => tid('anomaly-table').locator('tr', { hasText: 'demo on Sample' })

  // 1. the out-of-band change, in admin mode (demo is in Prod: its name is typed to confirm)
  await nav('sql-editor')
  await chooseOption('query-database', 'demo')
  await expectText(tid('query-status'), 'demo', 'status bar database')
  await tid('query-admin').click()
  const dialog = page.locator('.n-dialog', { hasText: 'Admin mode on a production database' })
  await dialog.waitFor()
  await tid('query-admin-confirm-name').locator('input').fill('demo')
  await dialog.getByRole('button', { name: 'Switch to admin mode' }).click()
  await dialog.waitFor({ state: 'detached' })
  await editor.click()
  await editor.fill('ALTER TABLE t1 ADD COLUMN age integer')
  await tid('query-run').click()
  await waitFor(async () => !(await tid('query-running').isVisible()), 'the ALTER to finish', 30_000)
  await expectText(tid('result-0'), 'ALTER TABLE', 'ALTER TABLE ran')
  await shot('80-drift-admin-alter')
  await tid('query-admin').click()
  await tid('query-admin-banner').waitFor({ state: 'detached' })

  // 2. Sync now on the database page: the banner names the drift
  await openDemo()
  await tid('schema-sync').click()
  await expectText(tid('drift-banner'), 'Schema drift: 1 object changed since version', 'drift banner')
  await tid('nav-anomalies-count').waitFor()
  await shot('81-drift-banner')

  // 3. View diff: the Anomaly Center's drawer with the object, its change and both migrations
  await tid('drift-banner-view').click()
  await tid('anomaly-view').waitFor()
  await tid('anomaly-detail').waitFor()
  await expectText(tid('anomaly-detail-summary'), 'Schema drift: 1 object changed since version', 'drawer summary')
  await expectText(tid('drift-object'), 'public.t1', 'drifted object')
  await expectText(tid('drift-change'), 'column age added: age integer', 'the column added')
  await tid('ddl-merge').waitFor()
  await expectText(tid('drift-revert'), 'DROP COLUMN age', 'revert migration')
  await expectText(tid('drift-codify'), 'ADD COLUMN age integer', 'codify migration')
  await shot('82-anomaly-drift-detail')
  await page.keyboard.press('Escape')
  await tid('anomaly-detail').waitFor({ state: 'detached' })
  await demoRow().waitFor()
  await expectText(demoRow(), 'Schema drift', 'the Anomaly Center lists the drift')
  await shot('83-anomaly-center')

  // 4. Establish new baseline: an issue that shows the drift it accepts; approve, roll out
  await demoRow().click()
  await tid('anomaly-baseline').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), 'Establish new baseline of demo', 'baseline issue title')
  await tid('issue-checks').waitFor()
  await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  await expectText(tid('check-drift-summary'), 'accepts the drift since version', 'the drift the baseline accepts')
  await tid('check-drift').click()
  await expectText(tid('check-drift-detail'), 'column age added: age integer', 'the accepted column')
  await shot('84-baseline-issue')
  // the risk rules decide whether a baseline needs approval (the presets grade it low); when a
  // rule asks for one, approve it here
  await waitFor(async () => /pending|skipped/.test((await tid('issue-approval-status').textContent()) ?? ''), 'the approval decided')
  if (/pending/.test((await tid('issue-approval-status').textContent()) ?? '')) {
    await tid('issue-approve').click()
    await expectText(tid('issue-approval-status'), 'approved', 'approved')
  }
  await rolloutTask({ tid, waitFor, expectText }, 'demo', 'accepting the out-of-band column', 'baseline task done')
  await shot('85-baseline-done')

  // 5. the drift is gone in both places; the baseline is in the change history
  await tid('nav-anomalies').click()
  await tid('anomaly-view').waitFor()
  await waitFor(async () => (await tid('anomaly-empty').isVisible()) || !(await demoRow().isVisible()), 'the drift to leave the Anomaly Center', 30_000)
  await tid('anomaly-filter-all').click()
  await expectText(demoRow(), 'resolved', 'the drift archived as resolved')
  await shot('86-anomaly-resolved')
  await tid('anomaly-filter-all').click()
  await openDemo()
  await tid('schema-sync').click()
  await waitFor(async () => !(await tid('schema-sync-progress').isVisible()), 'the sync to finish', 60_000)
  await waitFor(async () => !(await tid('drift-banner').isVisible()), 'the banner to go', 30_000)
  await page.locator('[data-testid="database-tabs"] .n-tabs-tab', { hasText: 'Change history' }).click()
  await expectText(tid('history-table'), 'baseline', 'the baseline row in the history')
  await shot('87-database-baseline-history')
}
