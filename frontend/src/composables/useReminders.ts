import { h } from 'vue'
import { useI18n } from 'vue-i18n'
import { NButton, useNotification, type NotificationReactive } from 'naive-ui'
import { useRouter } from 'vue-router'
import type { BookingReminder } from '@/api/booking'
import { useSessionStore } from '@/stores/session'
import { shanghaiTime, toWall } from '@/utils/shanghai'
import { useServerEvent } from './useServerEvent'

/**
 * Shows the signed-in person's extended-hours reminders (`booking:reminder`, the day before and an
 * hour before) as a notification in the window; the tray shows the same from Go.
 */
export function useReminders(): void {
  const { t } = useI18n()
  const notification = useNotification()
  const router = useRouter()
  const session = useSessionStore()

  useServerEvent('booking:reminder', (r: BookingReminder) => {
    if (!session.staff || r.staff_id !== session.staff.id) return
    const date = toWall(r.slot_start).slice(0, 10)
    // Called on a click, after `shown` is set.
    const open = () => {
      shown.destroy()
      void router.push({ name: 'calendar', query: { date, view: 'timeGridDay' } })
    }
    const shown: NotificationReactive = notification.warning({
      title: t(`booking.reminder.${r.kind === 'hour_before' ? 'hourBefore' : 'dayBefore'}`),
      content: t('booking.reminder.content', {
        date,
        start: shanghaiTime(r.slot_start),
        end: shanghaiTime(r.slot_end),
        line: r.line,
        name: r.citizen_name,
      }),
      action: () =>
        h(NButton, { size: 'small', type: 'primary', secondary: true, onClick: open }, () =>
          t('booking.reminder.open'),
        ),
      // The hour-before reminder stays until dismissed: someone must come in.
      duration: r.kind === 'hour_before' ? undefined : 30_000,
      keepAliveOnHover: true,
    })
  })
}
