import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ColumnRow from './ColumnRow.vue'
import type { EditColumn } from '../../api'

const column: EditColumn = {
  name: 'new_column', key: 'column:public.t.new_column', mark: 'created', type: 'text', default: null, notNull: false,
  identity: '', generated: '', comment: null, primaryKey: false, foreignKey: false,
}

describe('ColumnRow', () => {
  it('Enter then the blur that follows commit a rename once', async () => {
    const w = mount(ColumnRow, { props: { column, problems: [], typesList: 'types', isNew: true }, attachTo: document.body })
    const input = w.find('[data-testid="col-name"] input')
    await input.setValue('note')
    await input.trigger('keyup', { key: 'Enter' })
    await input.trigger('blur')
    expect(w.emitted('commit')).toHaveLength(1)
    expect(w.emitted('commit')![0]![0]).toMatchObject({ name: 'note' })
    // a further change is committed again
    await input.setValue('remark')
    await input.trigger('blur')
    expect(w.emitted('commit')).toHaveLength(2)
    w.unmount()
  })

  it('a column of a new table moves up and down; an existing table shows no move buttons', async () => {
    const w = mount(ColumnRow, { props: { column, problems: [], typesList: 'types', isNew: true, movable: true, canUp: false, canDown: true }, attachTo: document.body })
    expect(w.find('[data-testid="col-up"]').attributes('disabled')).toBeDefined()
    await w.find('[data-testid="col-down"]').trigger('click')
    expect(w.emitted('move')).toEqual([['down']])
    w.unmount()
    const old = mount(ColumnRow, { props: { column: { ...column, mark: '' }, problems: [], typesList: 'types' }, attachTo: document.body })
    expect(old.find('[data-testid="col-up"]').exists()).toBe(false)
    old.unmount()
  })
})
