// End-to-end scenario of the change history: on a database page, the Change history tab's
// "Alter schema" files CREATE TABLE e2e_hist as an issue; once it rolls out the tab lists it as
// done with its issue linked, and its detail shows the statement and the schema before and after.

/** applyChange runs once instance local-pg is registered and synced. */
import { fitsWindow } from './fit.mjs'

export async function applyChange({ page, tid, pg, shot, expectText, nav, waitFor }) {
  const db = pg.databases[0]
  await nav('databases')
  await tid(`db-row-${db}`).locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await expectText(tid('database-view'), db, 'database page title')
  // the tabs appear once the database has a schema snapshot
  await page.locator('[data-testid="database-tabs"], [data-testid="schema-never-synced"]').first().waitFor()
  if (await tid('schema-never-synced').isVisible()) await tid('schema-sync-empty').click()
  await tid('database-tabs').waitFor({ timeout: 60_000 })
  await tid('database-tabs').locator('.n-tabs-tab', { hasText: /^Change history$/ }).click()
  await tid('history-tab').waitFor()

  // The tab writes nothing itself: Alter schema opens an issue with this database picked.
  await expectText(tid('history-tab'), 'Alter schema', 'the tab offers Alter schema')
  if (await tid('history-apply-open').count()) throw new Error('the change history still applies SQL directly')
  await tid('history-alter').click()
  await tid('alter-drawer').waitFor()
  await tid('alter-sql').locator('.cm-content').click()
  await page.keyboard.type('CREATE TABLE e2e_hist(id int primary key)')
  await tid('alter-preview-issue').click()
  await tid('alter-title').locator('input').fill('e2e history table')
  await shot('40-history-alter')
  await tid('alter-create').click()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-view'), 'e2e history table', 'issue title')
  await tid('issue-checks').waitFor()
  await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  // a test environment rolls out automatically once the checks pass; otherwise roll out here
  const task = tid(`task-${db}`)
  const status = task.locator('[data-testid="task-status"]')
  await waitFor(
    async () => /done/.test((await status.textContent()) ?? '') || (await task.locator('[data-testid="task-rollout"]').isVisible()) || (await task.locator('[data-testid="task-force"]').isVisible()),
    'the task to roll out or offer a rollout',
    60_000,
  )
  if (!/done/.test((await status.textContent()) ?? '')) {
    if (await task.locator('[data-testid="task-force"]').isVisible()) {
      await task.locator('[data-testid="task-force"]').click()
      await task.locator('[data-testid="task-force-comment"] input').fill('e2e: reviewed')
      await task.locator('[data-testid="task-force-confirm"]').click()
      // with the warning accepted an automatic environment starts at once; a manual one offers Roll out
      await waitFor(
        async () => /running|done/.test((await status.textContent()) ?? '') || (await task.locator('[data-testid="task-rollout"]').isVisible()),
        'the task to start or offer a rollout after Roll out anyway',
        60_000,
      )
    }
    // an automatic environment may start the task between seeing Roll out and clicking it
    const rollout = task.locator('[data-testid="task-rollout"]')
    if (await rollout.isVisible()) {
      await rollout.click({ timeout: 5_000 }).catch(async (e) => {
        if (await rollout.isVisible()) throw e
      })
    }
  }
  await expectText(status, 'done', `task on ${db} done`)
  const issueNo = page.url().match(/issues\/(\d+)/)?.[1] ?? ''
  if (!issueNo) throw new Error(`the issue page's address ${page.url()} names no issue`)
  await shot('41-history-issue-done')

  // back on the database page, the change is in the history, linked to its issue
  await nav('databases')
  await tid(`db-row-${db}`).locator('[data-testid="db-name"]').click()
  await tid('database-tabs').waitFor({ timeout: 60_000 })
  await tid('database-tabs').locator('.n-tabs-tab', { hasText: /^Change history$/ }).click()
  const row = tid('history-table').locator('tr', { hasText: 'e2e history table' }).first()
  await row.waitFor({ timeout: 60_000 })
  await expectText(row, 'done', 'applied change status')
  const link = row.locator('[data-testid="history-issue"]')
  await expectText(link, '#', 'the issue number in the history row')
  if (!((await link.textContent()) ?? '').includes(issueNo)) throw new Error(`history links ${await link.textContent()}, want #${issueNo}`)
  await shot('41-history-list')

  await row.click()
  await tid('history-detail').waitFor()
  await expectText(tid('history-detail-statement'), 'CREATE TABLE e2e_hist', 'change statement')
  await tid('ddl-merge').locator('.cm-editor').first().waitFor()
  await expectText(tid('ddl-merge'), 'e2e_hist', 'schema after the change')
  // the objects the change touched, from the structured models; Tidemark's own schema is not one
  const objects = tid('history-detail-object')
  await objects.first().waitFor()
  const listed = (await objects.allTextContents()).map((t) => t.replace(/\s+/g, ''))
  if (listed.length !== 1 || listed[0] !== 'addedtablepublic.e2e_hist')
    throw new Error(`changed objects ${JSON.stringify(listed)}, want one: added table public.e2e_hist`)
  if ((await tid('ddl-merge').textContent())?.includes('tidemark.migration_history'))
    throw new Error('the before/after view shows Tidemark\'s own schema')
  await fitsWindow(page, tid('history-detail'), 'change detail drawer')
  await shot('42-history-detail')
  await page.keyboard.press('Escape')
}
