// The roster's files: the workbook saved under its own name, the month's sheet opened to print.

import { useI18n } from 'vue-i18n'
import { useMessage } from 'naive-ui'
import { downloadPdf, openPdf } from '@/api/pdf'
import { rosterExportPath, rosterPrintPath } from '@/api/roster'
import { useErrorText } from '@/composables/useErrorText'

export function useRosterFiles() {
  const { t } = useI18n()
  const message = useMessage()
  const errorText = useErrorText()
  async function run(fn: () => Promise<unknown>, done: string) {
    try {
      await fn()
      message.success(done)
    } catch (err) {
      message.error(errorText(err))
    }
  }
  return {
    /** Saves the plan as an Excel workbook (a sheet a month and the load summary). */
    exportXlsx: (planId: string) =>
      run(() => downloadPdf(rosterExportPath(planId)), t('rosterViews.exported')),
    /** Opens the month's A4 sheet for the notice board to print. */
    print: (planId: string, month: string) =>
      run(() => openPdf(rosterPrintPath(planId, month)), t('rosterViews.printed')),
  }
}
