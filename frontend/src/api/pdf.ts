// Printable documents (guides, lists, the one-time notice, receipts): the .pdf endpoints answer
// application/pdf over HTTP; the desktop window's Invoke carries text only, so there the same path
// with ?as=base64 answers {"name","content_type","data"} and the bytes are rebuilt here.

import { ApiError, getToken, isDesktop, request, toApiError } from './transport'

export interface PdfFile {
  name: string
  blob: Blob
}

interface Base64Answer {
  name: string
  content_type: string
  data: string
}

/** Turns base64 text into a Blob of the given type. */
export function base64ToBlob(data: string, type = 'application/pdf'): Blob {
  const bin = atob(data)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type })
}

/** The file name of a Content-Disposition header (RFC 5987 `filename*` first), or `fallback`. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      return fallback
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain?.[1]?.trim() || fallback
}

function withBase64(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}as=base64`
}

/**
 * Fetches one document with the session token. Throws ApiError with the server's sentence (409
 * "nothing is missing", 403 …) as every other call does.
 */
export async function fetchPdf(path: string): Promise<PdfFile> {
  const fallback = path.split('?')[0]?.split('/').pop() ?? 'document.pdf'
  if (isDesktop()) {
    const res = await request<Base64Answer>('GET', withBase64(path))
    return { name: res.name || fallback, blob: base64ToBlob(res.data, res.content_type) }
  }
  const token = getToken()
  let res: Response
  try {
    res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  if (!res.ok) throw toApiError(res.status, await res.text())
  const blob = await res.blob()
  return {
    name: fileNameFrom(res.headers.get('Content-Disposition'), fallback),
    blob: blob.type ? blob : new Blob([blob], { type: 'application/pdf' }),
  }
}

/** Object URLs live this long: the new tab or the print dialog has read them by then. */
const REVOKE_MS = 60_000

function later(url: string) {
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS)
}

/** Saves the document under its own name. */
export async function downloadPdf(path: string): Promise<PdfFile> {
  const file = await fetchPdf(path)
  const url = URL.createObjectURL(file.blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file.name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  later(url)
  return file
}

function printInFrame(url: string) {
  const frame = document.createElement('iframe')
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0'
  frame.src = url
  frame.onload = () => {
    frame.contentWindow?.focus()
    frame.contentWindow?.print()
    setTimeout(() => frame.remove(), REVOKE_MS)
  }
  document.body.appendChild(frame)
}

/**
 * Shows the document to print it: a new tab in a browser (opened before the download, so no
 * popup blocker stops it), the print dialog through a hidden frame in the desktop window.
 */
export async function openPdf(path: string): Promise<PdfFile> {
  const tab = isDesktop() ? null : window.open('', '_blank')
  try {
    const file = await fetchPdf(path)
    const url = URL.createObjectURL(file.blob)
    if (tab) tab.location.href = url
    else printInFrame(url)
    later(url)
    return file
  } catch (err) {
    tab?.close()
    throw err
  }
}
