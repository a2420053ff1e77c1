// Steps several scenarios share.

/**
 * rolloutTask rolls out the task on database db from the issue page: when the checks left warnings,
 * "Roll out anyway" is taken first with comment; then Roll out, and the task must reach done
 * (label names that expectation).
 */
export async function rolloutTask({ tid, waitFor, expectText }, db, comment, label) {
  const task = tid(`task-${db}`)
  await waitFor(async () => (await task.locator('[data-testid="task-rollout"]').isVisible()) || (await task.locator('[data-testid="task-force"]').isVisible()), 'a rollout action')
  if (await task.locator('[data-testid="task-force"]').isVisible()) {
    await task.locator('[data-testid="task-force"]').click()
    await task.locator('[data-testid="task-force-comment"] input').fill(comment)
    await task.locator('[data-testid="task-force-confirm"]').click()
    await waitFor(async () => !(await task.locator('[data-testid="task-force-form"]').isVisible()), 'the force form to close')
  }
  await task.locator('[data-testid="task-rollout"]').click()
  await expectText(task.locator('[data-testid="task-status"]'), 'done', label)
}

/**
 * openAlterSchema opens the database page of db and its Alter schema drawer (db alone picked).
 */
export async function openAlterSchema({ tid, nav }, db) {
  await nav('databases')
  await tid(`db-row-${db}`).locator('[data-testid="db-name"]').click()
  await tid('database-view').waitFor()
  await tid('database-alter').click()
  await tid('alter-drawer').waitFor()
}

/** openSchemaEditor opens Alter schema's schema editor from the open drawer and waits for the tree (node). */
export async function openSchemaEditor({ tid }, node) {
  await tid('alter-open-editor').click()
  await tid('schemaedit').waitFor({ timeout: 60_000 })
  await tid(node).waitFor()
}
