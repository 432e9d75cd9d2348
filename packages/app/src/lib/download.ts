/**
 * Saves bytes as a file the way the browser downloads anything: an object URL
 * on a temporary link with the server's file name. The bytes are the ones the
 * server sent, untouched, so the file is exactly the export.
 */
export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, contentType: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }))
  const link = document.createElement("a")
  link.href = url
  link.download = fileName
  link.rel = "noopener"
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The browser has the URL once the click is handled; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
