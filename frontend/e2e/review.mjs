// SQL Review end to end: Prod's policy (advanced) flags a table without a primary key as you
// type; turning the rule off in the policy editor makes the advice go away, on brings it back.
export async function reviewScenario({ page, tid, nav, expectText, waitFor, shot }) {
  const pkAdvice = () => page.locator('[data-testid="advice-item"][data-rule="table.require-pk"]')
  const toggle = () => tid('policy-rule-table.require-pk').locator('[data-testid="policy-rule-toggle"]')
  const switchOn = async () => (await toggle().getAttribute('aria-checked')) === 'true'

  await nav('review')
  await expectText(tid('review-env'), 'Prod', 'default review environment')
  await tid('review-empty').waitFor()
  await tid('review-editor').locator('.cm-content').click()
  await page.keyboard.insertText('CREATE TABLE t(a int);')
  await pkAdvice().waitFor()
  await expectText(pkAdvice(), 'line 1:1', 'advice position')
  // the editor marks the statement: a gutter marker and an underline
  await tid('review-editor').locator('.cm-lint-marker-error').first().waitFor()
  await tid('review-editor').locator('.cm-lintRange-error').first().waitFor()
  await shot('review-01-advice')
  await pkAdvice().click()

  await tid('review-tab-policy').click()
  await tid('policy-search').locator('input').fill('table.require-pk')
  await tid('policy-rule-table.require-pk').waitFor()
  if (!(await switchOn())) throw new Error('table.require-pk is not on in the Prod policy')
  await toggle().click()
  await waitFor(async () => !(await switchOn()), 'table.require-pk switched off')
  await shot('review-02-policy-off')

  await tid('review-tab-review').click()
  await pkAdvice().waitFor({ state: 'detached' })
  // other rules still speak: only the one turned off went quiet
  await page.locator('[data-testid="advice-item"]').first().waitFor()
  await shot('review-03-advice-gone')

  await tid('review-tab-policy').click()
  await toggle().click()
  await waitFor(switchOn, 'table.require-pk switched back on')
  await tid('review-tab-review').click()
  await pkAdvice().waitFor()
}
