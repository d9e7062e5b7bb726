/** A duration in whole seconds as the reports show it: "12分5秒", "45秒"; a dash for no tickets. */
export function formatSeconds(
  t: (key: string, named?: Record<string, unknown>) => string,
  seconds: number,
  count = 1,
): string {
  if (count === 0) return t('reports.none')
  if (seconds < 60) return t('reports.seconds', { s: seconds })
  return t('reports.duration', { m: Math.floor(seconds / 60), s: seconds % 60 })
}
