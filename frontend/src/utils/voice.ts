// The spoken call of the hall display, "请A012号到3号窗口办理": its text for the Web Speech API and,
// for a browser without a Chinese voice, the recorded clips (public/voice/*.wav) joined in order.

/** Every clip the hall host serves under voice/<name>.wav (scripts/make-voice.sh makes them). */
export const clipNames = [
  'qing',
  'hao',
  'dao',
  'chuangkou',
  'banli',
  'shi',
  ...'0123456789',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
] as const

export type Clip = (typeof clipNames)[number]

const chineseDigits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']
const known = new Set<string>(clipNames)

/** The words on screen: 请A012号到3号窗口办理. */
export function callText(number: string, window: number): string {
  return `请${number}号到${window}号窗口办理`
}

/** Ticket characters as clips, one by one: A012 → A 0 1 2 (halls read ticket digits singly). */
function ticketClips(number: string): Clip[] {
  return [...number.toUpperCase()].filter((c) => known.has(c)) as Clip[]
}

/** A window number as Chinese reads it: 3 → 3; 10 → 十; 12 → 十 2; 23 → 2 十 3; 105 → 1 0 5. */
function windowClips(n: number): Clip[] {
  const w = Math.floor(Math.abs(n))
  if (w < 10 || w >= 100) return [...String(w)] as Clip[]
  const tens = Math.floor(w / 10)
  const ones = w % 10
  const out: Clip[] = []
  if (tens > 1) out.push(String(tens) as Clip)
  out.push('shi')
  if (ones > 0) out.push(String(ones) as Clip)
  return out
}

/** The clips of one call, in order: 请 A 0 1 2 号 到 3 号 窗口 办理. */
export function callClips(number: string, window: number): Clip[] {
  return [
    'qing',
    ...ticketClips(number),
    'hao',
    'dao',
    ...windowClips(window),
    'hao',
    'chuangkou',
    'banli',
  ]
}

/** Speech text that a zh-CN voice reads the way halls do: 请A零一二号到三号窗口办理. */
export function speechText(number: string, window: number): string {
  const ticket = [...number.toUpperCase()]
    .map((c) => (c >= '0' && c <= '9' ? chineseDigits[Number(c)] : c))
    .join('')
  const win = windowClips(window)
    .map((c) => (c === 'shi' ? '十' : chineseDigits[Number(c)]))
    .join('')
  return `请${ticket}号到${win}号窗口办理`
}

/** The URL of a clip, relative to the page so it works under any host and in the desktop build. */
export function clipURL(clip: Clip): string {
  return `voice/${clip}.wav`
}
