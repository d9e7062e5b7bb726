import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useMessage } from 'naive-ui'
import { downloadPdf, openPdf } from '@/api/pdf'
import { useErrorText } from './useErrorText'

/**
 * Prints (opens) or downloads a document from a .pdf endpoint, showing the host's sentence when it
 * refuses (409 "材料已经齐全…"). `busy` holds the path being fetched.
 */
export function usePdf() {
  const { t } = useI18n()
  const message = useMessage()
  const errorText = useErrorText()
  const busy = ref('')

  async function run(path: string, how: 'open' | 'download'): Promise<boolean> {
    if (busy.value) return false
    busy.value = path
    try {
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
