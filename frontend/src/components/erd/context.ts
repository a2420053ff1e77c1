// What every box of a diagram needs to know to draw itself highlighted or dimmed: the focused
// table and its neighbours (a click), the tables the search matches, how much detail to draw.
import type { InjectionKey, Ref } from 'vue'

export interface DiagramHighlight {
  /** the clicked table ('' when none) */
  focus: Ref<string>
  /** the focused table and its neighbours; empty when nothing is focused */
  near: Ref<Set<string>>
  /** the tables matching the search text */
  matches: Ref<Set<string>>
  /** false when zoomed out so far that column text would be unreadable: boxes then show a line per column */
  detail: Ref<boolean>
}

/** detailZoom is the zoom below which boxes draw their columns as lines instead of text. */
export const detailZoom = 0.3

export const highlightKey: InjectionKey<DiagramHighlight> = Symbol('erd-highlight')
