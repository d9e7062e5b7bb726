/** The host takes at most this much per photo (proxy.MaxPhotoBytes). */
export const MAX_PHOTO_BYTES = 600 * 1024

/**
 * Scales a camera picture down to a JPEG whose longer side is at most `maxSide` pixels, lowering the
 * quality until it fits MAX_PHOTO_BYTES, and returns it as the host takes it (base64).
 */
export async function shrinkPhoto(
  file: Blob,
  maxSide = 1600,
): Promise<{ content_type: 'image/jpeg'; data: string }> {
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  let blob: Blob | null = null
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', quality),
    )
    if (blob && blob.size <= MAX_PHOTO_BYTES) break
  }
  if (!blob) throw new Error('toBlob')
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return { content_type: 'image/jpeg', data: btoa(binary) }
}
