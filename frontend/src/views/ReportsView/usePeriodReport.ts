// What the period report and the ranking pages share: the period asked, the load on every change
// with the server's sentence for a refused period, the Excel download, and the numbers that open
// the rows behind them.
import { h, onMounted, ref, watch, type Ref, type WatchSource } from 'vue'
import { useI18n } from 'vue-i18n'
import { NButton, useMessage } from 'naive-ui'
import type { Measure, PeriodAsk, PeriodKind } from '@/api/periodReports'
import { downloadPdf } from '@/api/pdf'
import { useErrorText } from '@/composables/useErrorText'

/** A number a person opened: the group and the measure whose rows the drill-down lists. */
export interface EvidenceTarget {
  key: string
  name: string
  measure: Measure
}

/**
 * A report over the period the page asks, starting with a period of `kind` around the host's
 * today: loaded when the page opens and again whenever the period or `also` changes. A refused
 * period leaves the server's sentence in `error` and no figures (the old ones would mislead).
 */
export function usePeriodReport<T>(
  kind: PeriodKind,
  fetch: (ask: PeriodAsk) => Promise<T>,
  xlsxPath: (ask: PeriodAsk) => string,
  also: WatchSource[] = [],
) {
  const { t } = useI18n()
  const message = useMessage()
  const errorText = useErrorText()
  // No date: the host's today (its clock, not this browser's).
  const ask = ref<PeriodAsk>({ kind, date: '', from: '', to: '' })
  const data = ref(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref('')
  const target = ref<EvidenceTarget | null>(null)

  async function load() {
    if (ask.value.kind === 'custom' && (!ask.value.from || !ask.value.to)) return
    loading.value = true
    try {
      data.value = await fetch(ask.value)
      error.value = ''
    } catch (err) {
      data.value = null
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }
  onMounted(load)
  watch([ask, ...also], () => void load(), { deep: true })

  async function exportXlsx() {
    try {
      await downloadPdf(xlsxPath(ask.value))
      message.success(t('reports.exported'))
    } catch (err) {
      message.error(errorText(err))
    }
  }

  /** A figure as a link to the rows behind it; a zero has none to open. */
  function evidenceCell(text: string | number, test: string, opens: EvidenceTarget) {
    if (text === 0 || text === '0') return '0'
    return h(
      NButton,
      { text: true, type: 'primary', 'data-test': test, onClick: () => (target.value = opens) },
      { default: () => String(text) },
    )
  }

  return { ask, data, loading, error, target, exportXlsx, evidenceCell }
}
