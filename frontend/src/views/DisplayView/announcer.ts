// Sound for the hall display: a chime made with the Web Audio API, then the spoken call through
// the Web Speech API when a Chinese voice exists, otherwise the recorded clips joined in order.
import { callClips, clipURL, speechText, type Clip } from '@/utils/voice'

export type VoiceMode = 'speech' | 'clips'

type AudioContextClass = typeof AudioContext

function audioContextClass(): AudioContextClass | undefined {
  if (typeof window === 'undefined') return undefined
  const g = globalThis as typeof globalThis & { webkitAudioContext?: AudioContextClass }
  return g.AudioContext ?? g.webkitAudioContext
}

/** A Mandarin voice of the browser, if it has one. */
function chineseVoice(): SpeechSynthesisVoice | undefined {
  if (typeof speechSynthesis === 'undefined') return undefined
  const voices = speechSynthesis.getVoices()
  return (
    voices.find((v) => v.lang.replace('_', '-') === 'zh-CN') ??
    voices.find((v) => /^(zh|cmn)\b/i.test(v.lang) && !/HK|TW|yue/i.test(v.lang))
  )
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export class Announcer {
  private ctx: AudioContext | undefined
  private readonly buffers = new Map<Clip, Promise<AudioBuffer | undefined>>()
  private chain: Promise<void> = Promise.resolve()

  constructor() {
    const Ctx = audioContextClass()
    this.ctx = Ctx ? new Ctx() : undefined
    // Voices load late in Chromium; asking once starts the load.
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.getVoices()
  }

  /** True when the browser holds sound back until someone clicks (autoplay policy). */
  get blocked(): boolean {
    return this.ctx !== undefined && this.ctx.state !== 'running'
  }

  /** Speech where a Chinese voice exists, clips otherwise. */
  get mode(): VoiceMode {
    return chineseVoice() ? 'speech' : 'clips'
  }

  /** Resumes sound after a click; resolves to whether sound may now play. */
  async unlock(): Promise<boolean> {
    if (!this.ctx) return true
    try {
      await this.ctx.resume()
    } catch {
      // Still blocked; the overlay stays.
    }
    return !this.blocked
  }

  /** Queues the chime and the call for `number` at `window`; calls never talk over each other. */
  announce(number: string, window: number): Promise<void> {
    this.chain = this.chain
      .then(() => this.play(number, window))
      .catch((err: unknown) => console.warn('announce', err))
    return this.chain
  }

  close(): void {
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel()
    void this.ctx?.close().catch(() => undefined)
    this.ctx = undefined
  }

  private async play(number: string, window: number): Promise<void> {
    await this.chime()
    const voice = chineseVoice()
    if (voice) await this.speak(voice, speechText(number, window))
    else await this.clips(callClips(number, window))
  }

  /** Two soft bell tones (ding-dong), about 1.2 s. */
  private async chime(): Promise<void> {
    const ctx = this.ctx
    if (!ctx || this.blocked) return
    const start = ctx.currentTime + 0.05
    for (const [i, freq] of [880, 659.25].entries()) {
      const t = start + i * 0.45
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0, t)
      gain.gain.linearRampToValueAtTime(0.35, t + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.001, t + 0.75)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t)
      osc.stop(t + 0.8)
    }
    await sleep(1250)
  }

  private speak(voice: SpeechSynthesisVoice, text: string): Promise<void> {
    return new Promise((done) => {
      const u = new SpeechSynthesisUtterance(text)
      u.voice = voice
      u.lang = voice.lang
      u.rate = 0.9
      u.onend = () => done()
      u.onerror = () => done()
      speechSynthesis.speak(u)
      // Some engines never fire onend; do not hold the queue forever.
      setTimeout(done, 8000)
    })
  }

  private buffer(clip: Clip): Promise<AudioBuffer | undefined> {
    let p = this.buffers.get(clip)
    if (!p) {
      const ctx = this.ctx
      p = fetch(clipURL(clip))
        .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${r.status}`))))
        .then((data) => ctx?.decodeAudioData(data))
        .catch(() => {
          this.buffers.delete(clip)
          return undefined
        })
      this.buffers.set(clip, p)
    }
    return p
  }

  /** Fetches the clips (cached after the first call) and plays them back to back. */
  private async clips(clips: Clip[]): Promise<void> {
    const ctx = this.ctx
    if (!ctx) return
    const buffers = await Promise.all(clips.map((c) => this.buffer(c)))
    if (this.blocked) return
    let t = ctx.currentTime + 0.05
    for (const b of buffers) {
      if (!b) continue
      const src = ctx.createBufferSource()
      src.buffer = b
      src.connect(ctx.destination)
      src.start(t)
      t += b.duration + 0.03
    }
    await sleep((t - ctx.currentTime) * 1000 + 300)
  }
}
