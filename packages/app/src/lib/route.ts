/** The open session lives in the URL hash (`#/session/<id>`), so reload and back work. */
import { createSignal, onCleanup } from "solid-js"

const PREFIX = "#/session/"

export function sessionFromHash(hash: string): string | undefined {
  if (!hash.startsWith(PREFIX)) return undefined
  try {
    const id = decodeURIComponent(hash.slice(PREFIX.length))
    return id === "" ? undefined : id
  } catch {
    return undefined
  }
}

export const sessionHref = (id: string) => `${PREFIX}${encodeURIComponent(id)}`

/** The open session id, following the hash. */
export function useOpenSession() {
  const [id, setId] = createSignal(sessionFromHash(location.hash))
  const update = () => setId(sessionFromHash(location.hash))
  window.addEventListener("hashchange", update)
  onCleanup(() => window.removeEventListener("hashchange", update))
  return id
}

export function openSession(id: string): void {
  location.hash = sessionHref(id)
}

/**
 * `#/export/<id>?title=…`: the export dialog alone, as the runtime's app
 * shows it (in a frame, from the overlay's addition to that app).
 */
export function exportFromHash(hash: string): { readonly sessionID: string; readonly title?: string } | undefined {
  const match = /^#\/export\/([^?]+)(?:\?(.*))?$/.exec(hash)
  if (!match) return undefined
  try {
    const sessionID = decodeURIComponent(match[1]!)
    const title = new URLSearchParams(match[2] ?? "").get("title") ?? undefined
    return sessionID === "" ? undefined : { sessionID, ...(title ? { title } : {}) }
  } catch {
    return undefined
  }
}
