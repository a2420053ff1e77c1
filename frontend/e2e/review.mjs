// SQL Review end to end: Prod's policy (the default safety rules) flags a NOT NULL column added
// without a default as you type; turning the rule off in the policy editor makes the advice go away, on brings it back.
// The page names the policy's template and what it is for; Apply fix rewrites the CREATE INDEX to
// CREATE INDEX CONCURRENTLY in a migration unit of its own, and its advice goes away.
export async function reviewScenario({ page, tid, nav, expectText, waitFor, shot }) {
  const pkAdvice = () => page.locator('[data-testid="advice-item"][data-rule="column.add-not-null-require-default"]')
  const toggle = () => tid('policy-rule-column.add-not-null-require-default').locator('[data-testid="policy-rule-toggle"]')
  const switchOn = async () => (await toggle().getAttribute('aria-checked')) === 'true'

  await nav('review')
  await expectText(tid('review-env'), 'Prod', 'default review environment')
  await tid('review-empty').waitFor()
  await tid('review-editor').locator('.cm-content').click()
  await page.keyboard.insertText('ALTER TABLE t ADD COLUMN b int NOT NULL;\nCREATE INDEX ON t (a);')
  await pkAdvice().waitFor()
  await expectText(pkAdvice(), 'line 1:26', 'advice position')
  // the editor marks the statement: a gutter marker and an underline
  await tid('review-editor').locator('.cm-lint-marker-error').first().waitFor()
  await tid('review-editor').locator('.cm-lintRange-error').first().waitFor()
  await shot('review-01-advice')
  await pkAdvice().click()

  await tid('review-tab-policy').click()
  await tid('policy-search').locator('input').fill('column.add-not-null-require-default')
  await tid('policy-rule-column.add-not-null-require-default').waitFor()
  if (!(await switchOn())) throw new Error('column.add-not-null-require-default is not on in the Prod policy')
  await toggle().click()
  await waitFor(async () => !(await switchOn()), 'column.add-not-null-require-default switched off')
  await shot('review-02-policy-off')

  await tid('review-tab-review').click()
  await pkAdvice().waitFor({ state: 'detached' })
  // other rules still speak: only the one turned off went quiet
  await page.locator('[data-testid="advice-item"]').first().waitFor()
  await shot('review-03-advice-gone')

  await tid('review-tab-policy').click()
  await toggle().click()
  await waitFor(switchOn, 'column.add-not-null-require-default switched back on')
  await tid('review-tab-review').click()
  await pkAdvice().waitFor()

  // the template the policy comes from, and what it is for
  await expectText(tid('review-policy-template'), 'Default (safety)', 'policy template name')
  await expectText(tid('review-template-purpose'), 'running system', 'policy template purpose')

  // Apply fix on the CREATE INDEX advice
  const indexAdvice = () => page.locator('[data-testid="advice-item"][data-rule="index.create-concurrently"]')
  await indexAdvice().waitFor()
  await expectText(indexAdvice().locator('[data-testid="advice-rewrite-sql"]'), 'CREATE INDEX CONCURRENTLY ON t USING btree (a);', 'safe form shown')
  await shot('review-04-safe-form')
  await indexAdvice().locator('[data-testid="advice-apply-fix"]').click()
  await indexAdvice().waitFor({ state: 'detached' })
  await expectText(tid('review-editor').locator('.cm-content'), 'CREATE INDEX CONCURRENTLY ON t USING btree (a);', 'editor holds the fixed SQL')
  await expectText(tid('review-editor').locator('.cm-content'), '-- tidemark:unit 2/2 (non-transactional)', 'the concurrent build is a unit of its own')
  await pkAdvice().waitFor()
  await shot('review-05-fixed')
}
