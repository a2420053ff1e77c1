/**
 * The width of a drawer that wants `px` pixels: never wider than the window leaves room for
 * (a 24 px margin on the left), so drawers fit at any window size.
 */
export function drawerWidth(px: number): string {
  return `min(${px}px, calc(100vw - 24px))`
}
