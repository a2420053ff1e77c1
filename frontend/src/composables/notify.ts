import { h } from 'vue'
import { useMessage, useNotification } from 'naive-ui'
import { toApiError } from '../api'

/**
 * useNotify shows errors the way the whole app does: the PostgreSQL (or Tidemark) message,
 * its SQLSTATE when there is one, and the hint/detail — never a stack trace.
 */
export function useNotify() {
  const notification = useNotification()
  const message = useMessage()

  function error(e: unknown, title = 'Something went wrong') {
    const err = toApiError(e)
    notification.error({
      title,
      duration: 10000,
      keepAliveOnHover: true,
      content: () =>
        h('div', { 'data-testid': 'error-notice' }, [
          h('div', { 'data-testid': 'error-message' }, err.message),
          err.sqlstate ? h('div', { 'data-testid': 'error-sqlstate', class: 'muted' }, `SQLSTATE ${err.sqlstate}`) : null,
          err.detail ? h('div', { class: 'muted' }, err.detail) : null,
          err.hint ? h('div', { class: 'muted' }, `Hint: ${err.hint}`) : null,
        ]),
    })
  }

  function success(text: string) {
    message.success(text)
  }

  function info(text: string) {
    message.info(text)
  }

  return { error, success, info }
}
