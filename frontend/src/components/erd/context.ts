// What every box of a diagram needs to know to draw itself highlighted or dimmed: the focused
// table and its neighbours (a click), the tables the search matches, the selected one.
import type { InjectionKey, Ref } from 'vue'

export interface DiagramHighlight {
  /** the clicked table ('' when none) */
  focus: Ref<string>
  /** the focused table and its neighbours; empty when nothing is focused */
  near: Ref<Set<string>>
  /** the tables matching the search text */
  matches: Ref<Set<string>>
}

export const highlightKey: InjectionKey<DiagramHighlight> = Symbol('erd-highlight')
