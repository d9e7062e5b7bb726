// The signed-in person's calendar file (bookings naming them and their duties): saved as .ics, or
// handed out as a subscription address a phone's calendar app polls.

import { useI18n } from 'vue-i18n'
import { useDialog, useMessage } from 'naive-ui'
import { calendarSubscription, revokeCalendarSubscription, staffCalendarICS } from '@/api/booking'
import { isDesktop } from '@/api/transport'
import { useErrorText } from '@/composables/useErrorText'
import { useSessionStore } from '@/stores/session'
import { saveText } from '@/utils/download'

export function useStaffCalendar() {
  const { t } = useI18n()
  const message = useMessage()
  const dialog = useDialog()
  const errorText = useErrorText()
  const session = useSessionStore()

  async function exportICS() {
    const me = session.staff
    if (!me) return
    try {
      const text = await staffCalendarICS(me.id)
      saveText(text, `budayang-${me.login}.ics`, 'text/calendar;charset=utf-8')
      message.success(t('calendar.exported'))
    } catch (err) {
      message.error(errorText(err))
    }
  }

  async function subscribe() {
    const me = session.staff
    if (!me) return
    try {
      const link = await calendarSubscription(me.id)
      const url = new URL(link.url, window.location.origin).href
      dialog.info({
        title: t('calendar.subscribeTitle'),
        content: t('calendar.subscribeText', { url }),
        positiveText: t('calendar.copyLink'),
        negativeText: t('calendar.revokeLink'),
        onPositiveClick: async () => {
          try {
            await navigator.clipboard.writeText(url)
            message.success(t('calendar.linkCopied'))
          } catch {
            message.info(url, { duration: 15000 })
          }
        },
        onNegativeClick: async () => {
          try {
            await revokeCalendarSubscription()
            message.success(t('calendar.linkRevoked'))
          } catch (err) {
            message.error(errorText(err))
          }
        },
      })
    } catch (err) {
      message.error(errorText(err))
    }
  }

  return {
    exportICS,
    subscribe,
    /** A browser can hand out a subscription address; the desktop window has none a phone can reach. */
    canSubscribe: !isDesktop(),
  }
}
