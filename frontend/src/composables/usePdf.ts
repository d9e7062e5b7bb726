import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useDialog, useMessage } from 'naive-ui'
import { downloadPdf, openPdf } from '@/api/pdf'
import { getCentre } from '@/api/cases'
import { useErrorText } from './useErrorText'

/**
 * Prints (opens) or downloads a document from a .pdf endpoint, showing the host's sentence when it
 * refuses (409 "材料已经齐全…"). `busy` holds the path being fetched. With `printsCentrePhone` (guides
 * and case documents) it first checks the centre's phone is set, and when it is not asks whether to
 * print anyway: the paper would read 「（本中心电话未设置）」 where the citizen looks for a number.
 */
export function usePdf(opts: { printsCentrePhone?: boolean } = {}) {
  const { t } = useI18n()
  const message = useMessage()
  const dialog = useDialog()
  const errorText = useErrorText()
  const busy = ref('')

  /** Resolves false when the phone is unset and the user chose not to print. */
  async function centrePhoneOk(): Promise<boolean> {
    if (!opts.printsCentrePhone) return true
    try {
      if ((await getCentre()).phone.trim() !== '') return true
    } catch {
      return true // the document itself will say what is wrong
    }
    return new Promise((resolve) => {
      dialog.warning({
        title: t('pdf.noCentrePhoneTitle'),
        content: t('pdf.noCentrePhone'),
        positiveText: t('pdf.printAnyway'),
        negativeText: t('common.cancel'),
        onPositiveClick: () => resolve(true),
        onNegativeClick: () => resolve(false),
        onClose: () => resolve(false),
        onMaskClick: () => resolve(false),
      })
    })
  }

  async function run(path: string, how: 'open' | 'download'): Promise<boolean> {
    if (busy.value) return false
    busy.value = path
    try {
      if (!(await centrePhoneOk())) return false
      const file = how === 'open' ? await openPdf(path) : await downloadPdf(path)
      if (how === 'download') message.success(t('catalog.downloaded', { name: file.name }))
      return true
    } catch (err) {
      message.error(errorText(err))
      return false
    } finally {
      busy.value = ''
    }
  }

  return {
    busy,
    open: (path: string) => run(path, 'open'),
    download: (path: string) => run(path, 'download'),
  }
}
