/**
 * The runtime's share protocol (pure): what `opencode-ai` 1.18.33 sends and
 * reads, checked before anything is stored. `POST /api/share {sessionID}` →
 * `{id, url, secret}`; `POST /api/share/:id/sync {secret, data: Item[]}`;
 * `DELETE /api/share/:id {secret}`; `GET /api/share/:id/data` → `Item[]`, the
 * latest version of each item (the runtime's import keeps the first of two).
 * Both ends check it here: the team share server (`@local/share-server`) and
 * the overlay's loopback endpoint that stands between a runtime and it.
 */

export const ITEM_TYPES = ["session", "message", "part", "session_diff", "model"] as const
export type ItemType = (typeof ITEM_TYPES)[number]

export type Item = { readonly type: ItemType; readonly data: unknown }

/** An item as stored: its key says which earlier version it replaces. */
export type KeyedItem = Item & { readonly key: string }

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string }

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)
const idOf = (value: Record<string, unknown>, field: string) => (typeof value[field] === "string" && value[field] !== "" ? (value[field] as string) : undefined)

/** Session and message ids as the runtime makes them, and nothing that could be a path. */
const ID = /^[A-Za-z0-9_-]{1,100}$/

/** The key of one item, or what is wrong with it. */
export function keyOf(item: unknown, index: number): Checked<KeyedItem> {
  const at = `data[${index}]`
  if (!isObject(item)) return { ok: false, problem: `${at} is not an object` }
  const type = item.type
  if (typeof type !== "string" || !(ITEM_TYPES as ReadonlyArray<string>).includes(type))
    return { ok: false, problem: `${at}.type must be one of ${ITEM_TYPES.join(", ")}` }
  const data = item.data
  const typed = type as ItemType
  if (typed === "session_diff" || typed === "model") {
    if (!Array.isArray(data)) return { ok: false, problem: `${at}.data must be an array for ${typed}` }
    return { ok: true, value: { type: typed, data, key: typed } }
  }
  if (!isObject(data)) return { ok: false, problem: `${at}.data must be an object` }
  const id = idOf(data, "id")
  if (!id || !ID.test(id)) return { ok: false, problem: `${at}.data.id is missing or not an id` }
  if (typed === "session") return { ok: true, value: { type: typed, data, key: "session" } }
  if (typed === "message") return { ok: true, value: { type: typed, data, key: `message/${id}` } }
  const messageID = idOf(data, "messageID")
  if (!messageID || !ID.test(messageID)) return { ok: false, problem: `${at}.data.messageID is missing or not an id` }
  // Upstream's server keys a part `<messageID>/<id>`; here `part/` first, so no part's key can be a message's.
  return { ok: true, value: { type: typed, data, key: `part/${messageID}/${id}` } }
}

/** A sync request's body: the share's secret and its items, each with its key; or the first thing wrong with it. */
export function syncBody(body: unknown): Checked<{ readonly secret: string; readonly items: ReadonlyArray<KeyedItem> }> {
  if (!isObject(body)) return { ok: false, problem: "the body must be a JSON object" }
  if (typeof body.secret !== "string" || body.secret === "") return { ok: false, problem: "secret is missing" }
  if (!Array.isArray(body.data)) return { ok: false, problem: "data must be an array of {type, data}" }
  const items: KeyedItem[] = []
  for (let i = 0; i < body.data.length; i++) {
    const checked = keyOf(body.data[i], i)
    if (!checked.ok) return checked
    items.push(checked.value)
  }
  return { ok: true, value: { secret: body.secret, items } }
}

/** A create request's body: the session's id. */
export function createBody(body: unknown): Checked<{ readonly sessionID: string }> {
  if (!isObject(body)) return { ok: false, problem: "the body must be a JSON object" }
  const id = body.sessionID
  if (typeof id !== "string" || !ID.test(id)) return { ok: false, problem: "sessionID is missing or not a session id" }
  return { ok: true, value: { sessionID: id } }
}

/** A delete request's body: the share's secret. */
export function secretBody(body: unknown): Checked<{ readonly secret: string }> {
  if (!isObject(body) || typeof body.secret !== "string" || body.secret === "") return { ok: false, problem: "secret is missing" }
  return { ok: true, value: { secret: body.secret } }
}

/** The items as the runtime's import reads them: the session first, then messages and parts in order, the rest last. */
export function ordered<T extends Pick<KeyedItem, "type" | "key">>(items: ReadonlyArray<T>): T[] {
  const rank = (item: T) => (item.type === "session" ? 0 : item.type === "message" ? 1 : item.type === "part" ? 2 : 3)
  return [...items].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
