import { afterEach, describe, expect, it, vi } from 'vitest'
import { base64ToBlob, fetchPdf, fileNameFrom } from '@/api/pdf'
import { ApiError, setToken, type InvokeRequest, type InvokeResponse } from '@/api/transport'
import { jsonResponse } from './helpers'

/** "%PDF-1.3\n" and two bytes above 0x7f, so the decoding must keep every byte as it is. */
const PDF_BYTES = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x33, 0x0a, 0xe2, 0xff]
const PDF_BASE64 = btoa(String.fromCharCode(...PDF_BYTES))

async function bytes(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())]
}

afterEach(() => {
  delete window.go
  setToken('')
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('base64ToBlob', () => {
  it('rebuilds the exact bytes with the PDF type', async () => {
    const blob = base64ToBlob(PDF_BASE64)
    expect(blob.type).toBe('application/pdf')
    expect(blob.size).toBe(PDF_BYTES.length)
    expect(await bytes(blob)).toEqual(PDF_BYTES)
  })

  it('gives an empty blob for empty text and keeps another type', async () => {
    const blob = base64ToBlob('', 'text/plain')
    expect(blob.size).toBe(0)
    expect(blob.type).toBe('text/plain')
  })

  it('throws on text that is not base64', () => {
    expect(() => base64ToBlob('%%%not base64%%%')).toThrow()
  })
})

describe('fileNameFrom', () => {
  it('reads the UTF-8 file name the host sends', () => {
    const header =
      "inline; filename*=UTF-8''20261125-001-%E4%B8%80%E6%AC%A1%E6%80%A7%E5%91%8A%E7%9F%A5%E5%8D%95.pdf"
    expect(fileNameFrom(header, 'x.pdf')).toBe('20261125-001-一次性告知单.pdf')
  })

  it('falls back to a plain filename, then to the fallback', () => {
    expect(fileNameFrom('attachment; filename="guide.pdf"', 'x.pdf')).toBe('guide.pdf')
    expect(fileNameFrom(null, 'x.pdf')).toBe('x.pdf')
    expect(fileNameFrom("inline; filename*=UTF-8''%E4%ZZ", 'x.pdf')).toBe('x.pdf')
  })
})

describe('fetchPdf', () => {
  it('in the desktop window asks for ?as=base64 through Invoke and builds the blob', async () => {
    const calls: InvokeRequest[] = []
    window.go = {
      app: {
        App: {
          Invoke: (req: InvokeRequest): Promise<InvokeResponse> => {
            calls.push(req)
            return Promise.resolve({
              status: 200,
              body: JSON.stringify({
                name: '受理回执.pdf',
                content_type: 'application/pdf',
                data: PDF_BASE64,
              }),
            })
          },
        },
      },
    }
    setToken('tok-9')
    const file = await fetchPdf('/api/v1/cases/c1/receipt.pdf')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/cases/c1/receipt.pdf?as=base64',
      token: 'tok-9',
    })
    expect(file.name).toBe('受理回执.pdf')
    expect(await bytes(file.blob)).toEqual(PDF_BYTES)
  })

  it('in a browser fetches the bytes with the bearer token and names the file', async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(new Uint8Array(PDF_BYTES), {
        status: 200,
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': "inline; filename*=UTF-8''guide.pdf",
        },
      }),
    )
    vi.stubGlobal('fetch', fetchMock)
    setToken('tok-1')
    const file = await fetchPdf('/api/v1/catalog/items/MZ-001/guide.pdf')
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/v1/catalog/items/MZ-001/guide.pdf')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1')
    expect(file.name).toBe('guide.pdf')
    expect(await bytes(file.blob)).toEqual(PDF_BYTES)
  })

  it('throws the host sentence when it refuses (409: nothing is missing)', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn()
        .mockResolvedValue(
          jsonResponse(409, { error: '材料已经齐全，无需出具一次性告知单。', code: 'conflict' }),
        ),
    )
    const err = await fetchPdf('/api/v1/cases/c1/notice.pdf').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(409)
    expect((err as ApiError).message).toBe('材料已经齐全，无需出具一次性告知单。')
  })

  it('turns a network failure into ApiError code network', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    const err = await fetchPdf('/api/v1/cases/c1/notice.pdf').catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('network')
  })
})
