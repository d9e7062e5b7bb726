import { h } from 'vue'
import { useI18n } from 'vue-i18n'
import { NButton, useNotification, type NotificationReactive } from 'naive-ui'
import { useRouter } from 'vue-router'
import type { RosterReminder } from '@/api/rosterSwaps'
import { useSessionStore } from '@/stores/session'
import { shanghaiTime, toWall } from '@/utils/shanghai'
import { useServerEvent } from './useServerEvent'

/**
 * Shows the signed-in person's roster reminders (`roster:reminder`): their duty the day before and
 * an hour before, a handover waiting to be acknowledged, and for the head shifts with nobody on
 * them in the coming week. The tray shows the same from Go.
 */
export function useDutyReminders(): void {
  const { t } = useI18n()
  const notification = useNotification()
  const router = useRouter()
  const session = useSessionStore()

  function content(r: RosterReminder): string {
    switch (r.kind) {
      case 'day_before':
      case 'hour_before':
        return t('myDuty.reminder.duty', {
          date: r.start ? toWall(r.start).slice(0, 10) : '',
          start: r.start ? shanghaiTime(r.start) : '',
          shift: r.shift ?? '',
        })
      case 'handover':
        return t('myDuty.reminder.handoverContent', { name: r.from ?? '' })
      case 'vacant':
        return t('myDuty.reminder.vacantContent', {
          n: r.vacant?.length ?? 0,
          list: (r.vacant ?? []).slice(0, 5).join('、'),
        })
    }
  }

  useServerEvent('roster:reminder', (r: RosterReminder) => {
    if (!session.staff || r.staff_id !== session.staff.id) return
    const open = () => {
      shown.destroy()
      void router.push({ name: r.kind === 'vacant' ? 'roster' : 'my-duty' })
    }
    const shown: NotificationReactive = notification.warning({
      title: t(`myDuty.reminder.${r.kind}`),
      content: content(r),
      action: () =>
        h(NButton, { size: 'small', type: 'primary', secondary: true, onClick: open }, () =>
          t('myDuty.reminder.open'),
        ),
      // The hour-before reminder stays until dismissed: someone must come in.
      duration: r.kind === 'hour_before' ? undefined : 30_000,
      keepAliveOnHover: true,
    })
  })
}
