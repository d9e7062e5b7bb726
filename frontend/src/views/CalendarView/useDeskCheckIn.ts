import { h, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useDialog, useMessage } from 'naive-ui'
import { checkIn, type CheckInRefusal } from '@/api/booking'
import { ApiError } from '@/api/transport'
import { useErrorText } from '@/composables/useErrorText'

/** A refusal that offers a normal ticket instead (too early or too late). */
export function refusalOf(err: unknown): CheckInRefusal | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null
  return err.detail.offer_normal_ticket === true ? (err.detail as unknown as CheckInRefusal) : null
}

/**
 * Checks a booking in at the desk by its code: shows the ticket it became, or the host's sentence
 * when it is too early or too late with the offer of a normal ticket.
 */
export function useDeskCheckIn(onDone: () => void) {
  const { t } = useI18n()
  const message = useMessage()
  const dialog = useDialog()
  const errorText = useErrorText()
  const busy = ref(false)

  async function run(code: string, acceptNormal = false): Promise<boolean> {
    if (busy.value || !code.trim()) return false
    busy.value = true
    try {
      const res = await checkIn(code.trim(), acceptNormal)
      const text = t(res.priority ? 'booking.checkedInPriority' : 'booking.checkedInNormal', {
        number: res.ticket.number,
        name: res.booking.citizen_name,
      })
      dialog.success({
        title: t('booking.checkedInTitle'),
        content: () => h('div', { 'data-test': 'checkin-result' }, text),
        positiveText: t('common.confirm'),
      })
      onDone()
      return true
    } catch (err) {
      if (refusalOf(err)) {
        dialog.warning({
          title: t('booking.outsideWindow'),
          content: () => h('div', { 'data-test': 'checkin-refused' }, errorText(err)),
          positiveText: t('booking.takeNormal'),
          negativeText: t('common.cancel'),
          onPositiveClick: () => {
            void run(code, true)
          },
        })
      } else {
        message.error(errorText(err))
      }
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, run }
}
