/**
 * The open session lives in the URL hash (`#/session/<id>`, or
 * `#/session/<id>/message/<messageID>` to open it at a message: a search hit),
 * so reload and back work.
 */
import { createSignal, onCleanup } from "solid-js"

const PREFIX = "#/session/"

export function sessionFromHash(hash: string): string | undefined {
  return targetFromHash(hash)?.session
}

/** The session of the hash, and the message to show when it names one. */
export function targetFromHash(hash: string): { readonly session: string; readonly message?: string } | undefined {
  if (!hash.startsWith(PREFIX)) return undefined
  const [session, word, message] = hash.slice(PREFIX.length).split("/")
  try {
    const id = decodeURIComponent(session ?? "")
    if (id === "") return undefined
    const at = word === "message" && message ? decodeURIComponent(message) : undefined
    return at ? { session: id, message: at } : { session: id }
  } catch {
    return undefined
  }
}

export const sessionHref = (id: string, messageID?: string) =>
  `${PREFIX}${encodeURIComponent(id)}${messageID ? `/message/${encodeURIComponent(messageID)}` : ""}`

/** The message the hash names in the open session, following the hash. */
export function useOpenMessage() {
  const [id, setId] = createSignal(targetFromHash(location.hash)?.message)
  const update = () => setId(targetFromHash(location.hash)?.message)
  window.addEventListener("hashchange", update)
  onCleanup(() => window.removeEventListener("hashchange", update))
  return id
}

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

/**
 * `#/search?q=…`: the list with the search box focused (and filled): what
 * "Search sessions" in the runtime's app opens.
 */
export function searchFromHash(hash: string): { readonly q: string } | undefined {
  const match = /^#\/search(?:\?(.*))?$/.exec(hash)
  if (!match) return undefined
  return { q: new URLSearchParams(match[1] ?? "").get("q") ?? "" }
}
