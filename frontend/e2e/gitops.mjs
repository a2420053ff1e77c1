// End-to-end scenario of GitOps, following Bytebase's Bitbucket tutorial on a local bare
// repository (the team's remote; commits are made with the git command, as a teammate would):
// link the sample project HR with base directory `bytebase` in its GitOps tab (the wizard's
// preview first) → Fetch now starts the watch → a commit adds
// bytebase/prod/hr_prod##202311012500##ddl##add_nickname_table_employee.sql with a nullable
// nick_name → Fetch now makes an issue whose review check flags the nullable column without a
// default (Prod's policy) → the fixed file (NOT NULL DEFAULT '') is committed → Fetch now updates
// the issue, its checks pass → approve → roll out → bytebase/prod/.hr_prod##LATEST.sql is
// committed to the repository with the new column.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { rolloutTask } from './steps.mjs'

/** gitopsTutorial runs once the sample instance runs (project HR with hr_prod in Prod), before approval.mjs adds members. */
export async function gitopsTutorial({ page, tid, nav, expectText, shot, waitFor, chooseOption }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tidemark-e2e-git-'))
  const remote = path.join(root, 'hr.git')
  const work = path.join(root, 'work')
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Ada Dev',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada Dev',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
  }
  const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  const commit = (msg, files) => {
    for (const [name, body] of Object.entries(files)) {
      const full = path.join(work, name)
      mkdirSync(path.dirname(full), { recursive: true })
      writeFileSync(full, body)
    }
    git(work, 'add', '-A')
    git(work, 'commit', '-q', '-m', msg)
    git(work, 'push', '-q', 'origin', 'main')
  }
  git(root, 'init', '-q', '--bare', '-b', 'main', remote)
  git(root, 'clone', '-q', remote, work)
  git(work, 'checkout', '-q', '-B', 'main')
  commit('HR migrations', { 'README.md': '# HR database migrations\n' })

  const openGitOps = async () => {
    await nav('projects')
    await tid('project-row-HR').locator('[data-testid="project-row-open"]').click()
    await tid('project-drawer').waitFor()
    await tid('project-drawer').locator('.n-tabs-tab', { hasText: 'GitOps' }).click()
    await tid('gitops-panel').waitFor()
  }
  const fetchNow = async () => {
    await tid('gitops-fetch').click()
    await waitFor(async () => !(await tid('gitops-fetch').locator('.n-base-loading').count()), 'the fetch to finish', 120_000)
  }
  const checksDone = async () => {
    await tid('issue-checks').waitFor()
    await waitFor(async () => !(await tid('issue-checks-running').isVisible()), 'checks to finish', 120_000)
  }
  const openIssueFromFetch = async () => {
    const link = tid('gitops-fetch-issues').locator('a').first()
    await link.click()
    await tid('issue-view').waitFor()
    await checksDone()
  }

  // 0. Prod's review policy asks for a default on every column, as the tutorial's does
  await nav('review')
  await expectText(tid('review-env'), 'Prod', 'the review environment')
  await tid('review-tab-policy').click()
  await tid('policy-search').locator('input').fill('column.require-default')
  const toggle = tid('policy-rule-column.require-default').locator('[data-testid="policy-rule-toggle"]')
  await toggle.waitFor()
  if ((await toggle.getAttribute('aria-checked')) !== 'true') {
    await toggle.click()
    await waitFor(async () => (await toggle.getAttribute('aria-checked')) === 'true', 'column.require-default switched on')
  }
  await tid('review-tab-review').click()

  // 1. the setup wizard: remote, base directory, the preview of the (still empty) folder
  await openGitOps()
  await tid('gitops-form').waitFor()
  await tid('gitops-source-url').click()
  await tid('gitops-url').locator('input').fill(remote)
  await tid('gitops-base-dir').locator('input').fill('bytebase')
  await chooseOption('gitops-poll', 'Off (Fetch now only)')
  await expectText(tid('gitops-example'), 'bytebase/prod/hr_prod##202311012500##ddl##add_nickname_table_employee.sql', 'the template example')
  await tid('gitops-preview-empty').waitFor({ timeout: 60_000 })
  await expectText(tid('gitops-preview-latest'), 'bytebase/prod/.hr_prod##LATEST.sql', 'the LATEST file of hr_prod')
  await shot('gitops-01-wizard')
  await tid('gitops-save').click()
  await tid('gitops-link').waitFor()
  await expectText(tid('gitops-link-where'), remote, 'the linked repository')
  await fetchNow()
  await expectText(tid('gitops-fetch-result'), 'The watch started', 'the watch starts at the head')
  await tid('gitops-unmatched-empty').waitFor()

  // 2. the first commit: a nullable column without a default — Prod's review flags it
  const file = 'bytebase/prod/hr_prod##202311012500##ddl##add_nickname_table_employee.sql'
  commit('Add nick_name to employees', { [file]: 'ALTER TABLE hr.employees ADD COLUMN nick_name text;\n' })
  await fetchNow()
  await expectText(tid('gitops-fetch-issues'), 'created (hr_prod, 1 file(s))', 'the push became an issue')
  await shot('gitops-02-fetched')
  await openIssueFromFetch()
  const issueURL = page.url()
  await expectText(tid('issue-view'), 'Add nick_name to employees', 'the issue is titled by the commit')
  const status = (await tid('check-review-status').textContent()).trim()
  if (status !== 'warning' && status !== 'error') throw new Error(`the review check should flag the nullable column without a default, it says ${status}`)
  await tid('check-review').locator('.n-collapse-item__header').click()
  await expectText(tid('check-review-detail'), 'nick_name', 'the column without a default named')
  await shot('gitops-03-review-flags')

  // 3. the fixed file: the task's statement is replaced, the checks pass
  commit('Fix nick_name: NOT NULL with a default', { [file]: "ALTER TABLE hr.employees ADD COLUMN nick_name text NOT NULL DEFAULT '';\n" })
  await openGitOps()
  await fetchNow()
  await expectText(tid('gitops-fetch-issues'), 'updated', 'the pending task takes the fixed file')
  await page.goto(issueURL)
  await tid('issue-view').waitFor()
  await checksDone()
  await expectText(tid('check-review-status'), 'success', 'the review passes')
  await expectText(tid('issue-view'), "NOT NULL DEFAULT ''", 'the fixed statement')
  await shot('gitops-04-review-passes')

  // 4. approve and roll out (hr_prod drifted earlier in the suite: the warning is read and acknowledged)
  if (await tid('issue-approve').isVisible()) {
    await tid('issue-approve').click()
    await expectText(tid('issue-approval-status'), 'approved', 'approved')
  }
  await rolloutTask({ tid, waitFor, expectText }, 'hr_prod', 'the drift on hr_prod is known; nick_name is reviewed', 'rolled out on hr_prod')

  // 5. LATEST is written back: the repository has the schema with the new column, the issue says so
  const latest = 'bytebase/prod/.hr_prod##LATEST.sql'
  let body = ''
  await waitFor(async () => {
    git(work, 'fetch', '-q', 'origin')
    try {
      body = git(work, 'show', `origin/main:${latest}`)
    } catch {
      return false
    }
    return body.includes('nick_name')
  }, `${latest} committed`, 60_000)
  if (!body.includes("nick_name text DEFAULT ''::text NOT NULL")) throw new Error(`${latest} lacks the new column:\n${body.slice(0, 2000)}`)
  const subject = git(work, 'log', '-1', '--format=%s', 'origin/main')
  if (subject !== 'Update latest schema for "hr_prod" after migration 202311012500') throw new Error(`write-back commit subject: ${subject}`)
  await page.reload()
  await tid('issue-view').waitFor()
  await expectText(tid('issue-activity'), latest, 'the write-back on the timeline')
  await shot('gitops-05-latest-written')

  // the write-back commit comes back on the next fetch, skipped: no loop
  await openGitOps()
  await fetchNow()
  await expectText(tid('gitops-fetch-result'), "Tidemark's own LATEST write-back", 'the write-back commit is skipped')
  await shot('gitops-06-writeback-skipped')
  await page.keyboard.press('Escape')
}
