/**
 * Reading a share from a team server by its link, with the member's token:
 * what `opencode import <link>` does for a server the user signed in to (the
 * runtime's own import sends no credentials there). The link has the form
 * the runtime accepts (`<origin>/share/<slug>`); the data comes from
 * `<origin>/api/share/<slug>/data` and is made into the runtime's own export
 * (`{info, messages: [{info, parts}]}`) the way the runtime's import reads it.
 */
import * as Effect from "effect/Effect"
import { TeamServerUnreachable, TeamTokenRefused } from "./errors.ts"
import { teamRequest } from "./server-api.ts"
import { teamOrigin } from "./server-url.ts"

/** The most of a share's data read for an import (the server's default quota for one share is 1 GiB; a session that large does not import). */
const SHARE_MAX_BYTES = 512 * 1024 * 1024

export type ShareLink = { readonly origin: string; readonly slug: string }

/** A share link as the runtime's import accepts it, on a host a member token can be sent to; or undefined. */
export function parseShareLink(text: string): ShareLink | undefined {
  const match = /^(https?:\/\/[^/]+)\/share\/([A-Za-z0-9_-]+)$/.exec(text.trim())
  if (!match) return undefined
  const read = teamOrigin(match[1]!)
  return "origin" in read ? { origin: read.origin, slug: match[2]! } : undefined
}

type Item = { readonly type?: unknown; readonly data?: unknown }
type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * The runtime's export made from a share's items (pure): the session, its
 * messages in the order given, each with its parts. `undefined` when there
 * is no session or no message (the runtime's import says "empty" then).
 */
export function exportFromItems(items: ReadonlyArray<Item>): { readonly info: Obj; readonly messages: ReadonlyArray<{ info: Obj; parts: Obj[] }> } | undefined {
  let info: Obj | undefined
  const messages = new Map<string, { info: Obj; parts: Obj[] }>()
  const parts = new Map<string, Obj[]>()
  for (const item of items) {
    if (!isObj(item.data)) continue
    if (item.type === "session") info ??= item.data
    else if (item.type === "message" && typeof item.data.id === "string" && !messages.has(item.data.id)) messages.set(item.data.id, { info: item.data, parts: [] })
    else if (item.type === "part" && typeof item.data.messageID === "string") {
      const list = parts.get(item.data.messageID) ?? []
      list.push(item.data)
      parts.set(item.data.messageID, list)
    }
  }
  if (!info || messages.size === 0) return undefined
  return { info, messages: [...messages.values()].map((m) => ({ info: m.info, parts: parts.get(m.info.id as string) ?? [] })) }
}

/** The share's items, read with the member's token. */
export const readShare = (link: ShareLink, token: string): Effect.Effect<ReadonlyArray<Item>, TeamTokenRefused | TeamServerUnreachable> =>
  Effect.gen(function* () {
    const answer = yield* Effect.promise(() => teamRequest(link.origin, `/api/share/${link.slug}/data`, { method: "GET", token, maxBytes: SHARE_MAX_BYTES }))
    if (answer.status === 401 || answer.status === 403)
      return yield* new TeamTokenRefused({ origin: link.origin, message: `${link.origin} does not take the member token kept here (${answer.message}): run opencode share login ${link.origin}` })
    if (answer.status === 404)
      return yield* new TeamServerUnreachable({ origin: link.origin, message: `${link.origin} has no share ${link.slug} (never published, taken down, or expired).` })
    if (answer.status !== 200) return yield* new TeamServerUnreachable({ origin: link.origin, message: `${link.origin} did not give share ${link.slug}: ${answer.message}` })
    if (!Array.isArray(answer.json)) return yield* new TeamServerUnreachable({ origin: link.origin, message: `${link.origin} answered share ${link.slug} with something that is not a share's data.` })
    return answer.json as ReadonlyArray<Item>
  })
