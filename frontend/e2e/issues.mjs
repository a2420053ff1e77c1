// End-to-end scenario of the change workflow, following Bytebase's PostgreSQL tutorial on the
// sample instance: New DB `demo` in Prod → approve → roll out → the database appears; Alter
// schema on demo (CREATE TABLE t1) → checks (review advice, dry run: t1 added) → approve → roll
// out → View change → the project's change history; and a change whose dry run fails
// (ALTER TABLE missing) is blocked with the statement and its line shown. Then: a migration
// planned by Compare schemas becomes an issue on its source database.

/** tutorial runs once the sample instance is running (project HR exists) and after compare.mjs (items differ). */
export async function tutorial({ page, tid, pg, shot, expectText, nav, waitFor, chooseOption }) {
  const checksDone = async () => {
    await tid('issue-checks').waitFor()
    await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  }
  const approve = async () => {
    await expectText(tid('issue-approval-status'), 'pending', 'approval pending')
    await tid('issue-approve').click()
    await expectText(tid('issue-approval-status'), 'approved', 'approved')
  }
  const rollout = async (db) => {
    const task = tid(`task-${db}`)
    await waitFor(async () => (await task.locator('[data-testid="task-rollout"]').isVisible()) || (await task.locator('[data-testid="task-force"]').isVisible()), 'a rollout action')
    if (await task.locator('[data-testid="task-force"]').isVisible()) {
      await task.locator('[data-testid="task-force"]').click()
      await task.locator('[data-testid="task-force-comment"] input').fill('reviewed the warnings in the tutorial')
      await task.locator('[data-testid="task-force-confirm"]').click()
      await waitFor(async () => !(await task.locator('[data-testid="task-force-form"]').isVisible()), 'the force form to close')
    }
    await task.locator('[data-testid="task-rollout"]').click()
    await expectText(task.locator('[data-testid="task-status"]'), 'done', `task on ${db} done`)
  }
  const openProject = async () => {
    await nav('projects')
    await tid('project-row-HR').locator('[data-testid="project-row-open"]').click()
    await tid('project-drawer').waitFor()
  }

  // 1. New DB demo in Prod
  await nav('home')
  await tid('home-new-db').click()
  await tid('newdb-drawer').waitFor()
  await chooseOption('newdb-project', 'HR')
  await tid('newdb-name').locator('input').fill('demo')
  await chooseOption('newdb-environment', 'Prod')
  await chooseOption('newdb-instance', 'Sample')
  await tid('newdb-owner').locator('input').fill('postgres')
  await shot('60-issue-new-db')
  await tid('newdb-create').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), 'Create database demo', 'create-database issue title')
  await checksDone()
  await expectText(tid('issue-env'), 'Prod', 'environment badge')
  await shot('61-issue-create-db-waiting')
  await approve()
  await rollout('demo')
  await shot('62-issue-create-db-done')
  await nav('databases')
  await tid('db-row-demo').waitFor({ timeout: 30_000 })
  await shot('63-databases-demo')

  // 2. Alter schema on demo from the project
  await openProject()
  await expectText(tid('project-env-Prod'), 'demo', 'demo under Prod in the project')
  await tid('project-alter').click()
  await tid('alter-drawer').waitFor()
  await tid('alter-db-demo').click()
  await expectText(tid('alter-pipeline'), 'Prod: demo', 'pipeline preview')
  await tid('alter-sql').locator('.cm-content').click()
  await page.keyboard.type('CREATE TABLE t1 (id int PRIMARY KEY, name text);')
  // reviewed as you type against demo: the advice shows in the editor's gutter
  await expectText(tid('alter-review-summary'), 'SQL review', 'review as you type in Alter schema')
  await tid('alter-sql').locator('.cm-lint-marker').first().waitFor()
  await tid('alter-preview-issue').click()
  await waitFor(async () => (await tid('alter-title').locator('input').inputValue()) === 'Alter schema of demo', 'the previewed title')
  await shot('64-alter-schema')
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), 'Alter schema of demo', 'schema change issue title')
  await checksDone()
  await tid('check-review').locator('.n-collapse-item__header').click()
  await tid('check-review-detail').waitFor()
  await tid('check-dry_run').locator('.n-collapse-item__header').click()
  await expectText(tid('check-dry_run-detail'), 't1', 'dry run changed objects')
  await expectText(tid('check-dry_run-detail'), 'added', 'dry run: t1 added')
  await shot('65-issue-checks')
  await approve()
  await rollout('demo')
  await expectText(tid('task-timings'), 'ms', 'per-statement timing')
  await shot('66-issue-schema-done')
  await tid('task-demo').locator('[data-testid="task-view-change"]').click()
  await tid('history-detail').waitFor()
  await expectText(tid('history-detail'), 't1', 'View change: t1')
  await expectText(tid('history-detail'), 'added', 'View change: added')
  await shot('67-issue-view-change')
  await page.keyboard.press('Escape')
  await openProject()
  await expectText(tid('project-changes'), 'demo', 'project change history lists the change')
  await shot('68-project-history')
  await page.keyboard.press('Escape')

  // 3. A change whose dry run fails is blocked, with the statement and its line
  await nav('databases')
  await tid('db-row-demo').locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  // Change history: Roll back on the done schema change opens the rollback flow for it
  await page.locator('.n-tabs-tab[data-name="history"]').click()
  await tid('history-table').locator('[data-testid="history-rollback"]').first().click()
  await expectText(tid('rollback-sql'), 't1', 'rollback plan of the t1 change')
  await shot('68b-history-rollback')
  await page.locator('.n-tabs-tab[data-name="schema"]').click().catch(() => {})
  await tid('database-alter').click()
  await tid('alter-drawer').waitFor()
  await tid('alter-sql').locator('.cm-content').click()
  await page.keyboard.type('ALTER TABLE missing ADD COLUMN x int;')
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  await checksDone()
  await expectText(tid('check-dry_run-status'), 'error', 'dry run fails')
  await tid('check-dry_run').locator('.n-collapse-item__header').click()
  await expectText(tid('check-dry_run-detail'), 'ALTER TABLE missing', 'the failing statement')
  await expectText(tid('check-dry_run-detail'), 'line 1', 'the failing line')
  await expectText(tid('check-dry_run-detail'), '42P01', 'the SQLSTATE')
  await approve()
  const task = tid('task-demo')
  // Roll out is disabled with the closed gate's reason as its tooltip; no "Roll out anyway" past an error
  await waitFor(async () => task.locator('[data-testid="task-rollout"]').isDisabled(), 'Roll out disabled by the checks gate')
  if (await task.locator('[data-testid="task-force"]').isVisible()) throw new Error('Roll out anyway offered past a check error')
  await task.locator('[data-testid="task-rollout-gate"]').hover()
  await expectText(page.locator('.n-tooltip', { hasText: 'checks failed' }).first(), 'dry_run', 'the gate reason as the tooltip')
  await shot('69-issue-dry-run-blocked')
  // Skip asks for a reason in a dialog; it is required
  await task.locator('[data-testid="task-skip"]').click()
  const dialog = page.locator('.n-dialog')
  await dialog.waitFor()
  if (!(await tid('task-reason-confirm').isDisabled())) throw new Error('Skip confirmed without a reason')
  await tid('task-reason-input').locator('textarea').fill('the table does not exist here')
  await shot('69b-issue-skip-dialog')
  await tid('task-reason-confirm').click()
  await dialog.waitFor({ state: 'detached' })
  await expectText(task.locator('[data-testid="task-status"]'), 'skipped', 'task skipped')
  await expectText(tid('issue-activity'), 'the table does not exist here', 'the skip reason in the timeline')

  // 4. Compare schemas: the planned migration becomes a schema change issue on the source database
  const choose = async (testid, label) => {
    await tid(testid).click()
    await page.keyboard.type(label)
    await page.locator('.n-base-select-option:visible', { hasText: label }).first().waitFor()
    await page.keyboard.press('Enter')
    await expectText(tid(testid), label, `${testid} selection`)
  }
  const [source, target] = pg.databases
  await nav('compare')
  await choose('source-database', `local-pg / ${source}`)
  await choose('target-database', `local-pg / ${target}`)
  await tid('compare-run').click()
  await tid('migration-panel').waitFor({ timeout: 120_000 })
  await tid('compare-create-issue').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), `Migrate ${source}`, 'issue from the migration: title')
  await expectText(tid(`task-sql-${source}`), 'DROP COLUMN note', 'issue from the migration: its SQL')
  await expectText(tid(`task-sql-${source}`), 'CREATE INDEX items_name_idx', 'issue from the migration: its SQL')
  await checksDone()
  await shot('70-issue-from-compare')
}
