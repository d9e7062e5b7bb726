/**
 * Saves text as a file through the browser's download: a Blob behind a temporary link. Both doors
 * hand the UI text (the Wails binding carries no bytes), so the file is built here.
 */
export function saveText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
