import type { HTMLAttributes } from 'vue'

/** rowTestId gives each data-table row a stable data-testid for end-to-end tests. */
export function rowTestId<T>(id: (row: T) => string): (row: T) => HTMLAttributes {
  return (row: T) => ({ 'data-testid': id(row) }) as HTMLAttributes
}
