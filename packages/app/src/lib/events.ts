/**
 * Live updates from the runtime's event stream (`GET /event`, server-sent
 * events, proxied unchanged by the overlay server). Only which session changed
 * matters here; the app then re-reads what it shows.
 */

type RuntimeEvent = { readonly type?: unknown; readonly properties?: unknown; readonly payload?: unknown }

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined)
const obj = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : undefined)

/**
 * The session an event is about, wherever the runtime put it: `properties.sessionID`,
 * `properties.info.sessionID` (messages), `properties.part.sessionID` (parts),
 * or `properties.info.id` for `session.*` events.
 */
export function eventSessionID(event: unknown): string | undefined {
  const e = obj(event) as RuntimeEvent | undefined
  if (!e) return undefined
  if (obj(e.payload)) return eventSessionID(e.payload) // `/global/event` wraps events
  const type = str(e.type) ?? ""
  const p = obj(e.properties)
  if (!p) return undefined
  const info = obj(p.info)
  return (
    str(p.sessionID) ??
    str(info?.sessionID) ??
    str(obj(p.part)?.sessionID) ??
    (type.startsWith("session.") ? str(info?.id) : undefined)
  )
}

/** The parent of a subagent session, from `session.*` events that carry its info. */
export function eventParentID(event: unknown): string | undefined {
  const e = obj(event) as RuntimeEvent | undefined
  if (!e) return undefined
  if (obj(e.payload)) return eventParentID(e.payload)
  if (!(str(e.type) ?? "").startsWith("session.")) return undefined
  return str(obj(obj(e.properties)?.info)?.parentID)
}

/**
 * Which top-level session each event is about: a subagent's events count for
 * the session that started it (the export nests subagents in their parent).
 */
export function sessionTracker() {
  const parents = new Map<string, string>()
  return (event: unknown): string | undefined => {
    let id = eventSessionID(event)
    if (!id) return undefined
    const parent = eventParentID(event)
    if (parent && parent !== id) parents.set(id, parent)
    for (let depth = 0; depth < 8 && parents.has(id); depth++) id = parents.get(id)!
    return id
  }
}

export type Subscription = { readonly close: () => void }

/**
 * Calls `onChange(sessionID)` for every event about a session (subagents
 * count for their top-level session), and `onConnection(open)` when the
 * stream connects or drops (EventSource retries on its own).
 */
export function subscribe(url: string, onChange: (sessionID: string) => void, onConnection: (open: boolean) => void): Subscription {
  if (typeof EventSource === "undefined") return { close: () => {} }
  const source = new EventSource(url)
  const topLevel = sessionTracker()
  source.onopen = () => onConnection(true)
  source.onerror = () => onConnection(source.readyState === EventSource.OPEN)
  source.onmessage = (message) => {
    let event: unknown
    try {
      event = JSON.parse(message.data)
    } catch {
      return
    }
    // Any event about a session may change what the app shows of it (a status
    // change to idle ends a turn); the caller debounces.
    const id = topLevel(event)
    if (id) onChange(id)
  }
  return { close: () => source.close() }
}

/**
 * A trailing debounce that still fires at least every `maxWait` ms while
 * calls keep coming (a streaming answer sends events continuously).
 */
export function debounce(fn: () => void, wait: number, maxWait: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let first: number | undefined
  const run = () => {
    timer = undefined
    first = undefined
    fn()
  }
  const call = () => {
    const now = Date.now()
    first ??= now
    if (timer) clearTimeout(timer)
    timer = setTimeout(run, Math.max(0, Math.min(wait, first + maxWait - now)))
  }
  call.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    first = undefined
  }
  return call
}
