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
})
