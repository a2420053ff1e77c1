// SQL Review end to end: Prod's policy (the default safety rules) flags a NOT NULL column added
// without a default as you type; turning the rule off in the policy editor makes the advice go away, on brings it back.
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
}
