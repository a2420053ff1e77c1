// fitsWindow checks that an element (a drawer) lies inside the window once it has come to rest
// (drawers slide in, slowly on a busy machine): nothing of it runs past the left or right edge,
// and nothing inside it is wider than it.
export async function fitsWindow(page, locator, what) {
  await locator.waitFor()
  const handle = await locator.elementHandle()
  const rect = (el) => {
    const panel = el.closest('.n-drawer') ?? el
    const p = panel.getBoundingClientRect()
    return { left: p.left, right: p.right, scroll: panel.scrollWidth, client: panel.clientWidth, width: window.innerWidth }
  }
  // at rest: the same box on two polls 250 ms apart
  await page
    .waitForFunction(
      (el) => {
        const p = (el.closest('.n-drawer') ?? el).getBoundingClientRect()
        const now = `${p.left},${p.right}`
        const before = el.dataset.fitLast
        el.dataset.fitLast = now
        return before === now
      },
      handle,
      { timeout: 15_000, polling: 250 },
    )
    .catch(() => {}) // still moving after 15 s: measure anyway, the check below says where it is
  const r = await locator.evaluate(rect)
  if (r.right > r.width + 0.5 || r.left < -0.5) throw new Error(`${what} runs past the window: ${JSON.stringify(r)}`)
  if (r.scroll > r.client + 1) throw new Error(`${what} has content wider than itself: ${JSON.stringify(r)}`)
}
