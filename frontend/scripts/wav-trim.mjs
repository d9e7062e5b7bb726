// Trims leading and trailing silence from an espeak-ng WAV (22 050 Hz, 16-bit mono) and halves
// its rate to 11 025 Hz by averaging sample pairs: small clips that still sound clear.
// Usage: node wav-trim.mjs in.wav out.wav
import { readFileSync, writeFileSync } from 'node:fs'

const [input, output] = process.argv.slice(2)
const buf = readFileSync(input)
let pos = 12
let rate = 22050
let pcm
while (pos + 8 <= buf.length) {
  const id = buf.toString('ascii', pos, pos + 4)
  const size = buf.readUInt32LE(pos + 4)
  if (id === 'fmt ') rate = buf.readUInt32LE(pos + 12)
  // espeak-ng streams to a file and may leave the data size as 0 or too large.
  if (id === 'data')
    pcm = buf.subarray(pos + 8, Math.min(buf.length, pos + 8 + (size || buf.length)))
  pos += 8 + size + (size % 2)
  if (id === 'data') break
}
if (!pcm) throw new Error(`${input}: no data chunk`)
const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1)))
const threshold = 600
let start = samples.findIndex((s) => Math.abs(s) > threshold)
let end = samples.length - 1
while (end > 0 && Math.abs(samples[end]) <= threshold) end--
if (start < 0) start = 0
const pad = Math.round(rate * 0.02)
start = Math.max(0, start - pad)
end = Math.min(samples.length - 1, end + pad)
const outRate = Math.round(rate / 2)
const n = Math.floor((end - start + 1) / 2)
const out = Buffer.alloc(44 + n * 2)
for (let i = 0; i < n; i++) {
  const a = samples[start + 2 * i]
  const b = samples[start + 2 * i + 1]
  out.writeInt16LE(Math.round((a + b) / 2), 44 + i * 2)
}
out.write('RIFF', 0)
out.writeUInt32LE(36 + n * 2, 4)
out.write('WAVE', 8)
out.write('fmt ', 12)
out.writeUInt32LE(16, 16)
out.writeUInt16LE(1, 20) // PCM
out.writeUInt16LE(1, 22) // mono
out.writeUInt32LE(outRate, 24)
out.writeUInt32LE(outRate * 2, 28)
out.writeUInt16LE(2, 32)
out.writeUInt16LE(16, 34)
out.write('data', 36)
out.writeUInt32LE(n * 2, 40)
writeFileSync(output, out)
