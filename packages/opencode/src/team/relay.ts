/**
 * The overlay's loopback endpoint between a runtime and a team share server,
 * as a Hono app. The runtime is given `http://127.0.0.1:<port>/<capability>`
 * as its `enterprise.url` and speaks its credential-less share protocol to
 * it; here the member's token is added, every item is redacted before it is
 * written to the outbox (nothing raw is kept or sent), and delivery is the
 * outbox's (`delivery.ts`), so a sync the server misses is not lost.
 *
 * It holds a member's credential, so it answers nobody but that runtime:
 * only the address it was bound to as `Host` (a page on a re-pointed name,
 * DNS rebinding, is refused), no request with an `Origin` (the runtime sends
 * none; a browser always does on a POST), and only under the capability path,
 * 128 random bits a page cannot guess. The upstream URL is the configured
 * origin and a checked share id, never request text.
 */
import { Hono, type Context as HonoContext } from "hono"
import { sameText } from "../http/same-text.ts"
import { bodyLimit } from "hono/body-limit"
import * as Effect from "effect/Effect"
import type { Sanitizer } from "../export/screen/sanitize.ts"
import type { TeamLedger } from "./ledger.ts"
import { redactItems, type JsonItem } from "./redact-items.ts"
import { revokeOnServer, teamRequest, type ServerAnswer } from "./server-api.ts"
import { createBody, secretBody, syncBody, type Checked } from "./share-protocol.ts"

/** The runtime's full sync is one POST of the whole session: room for a long one. */
export const RELAY_MAX_BODY = 256 * 1024 * 1024
const SHARE_ID = /^[A-Za-z0-9_-]{1,100}$/

export type RelayDeps = {
  /** The team server's origin: the only place requests go. */
  readonly origin: string
  /** `/<capability>`: the path the runtime's `enterprise.url` ends with. */
  readonly prefix: string
  /** The `Host` this endpoint answers to (`127.0.0.1:<port>`), known once it listens. */
  readonly host: () => string
  readonly ledger: TeamLedger["Service"]
  readonly token: (origin: string) => Effect.Effect<string | undefined>
  readonly sanitizer: Sanitizer
  /** `x-share-expires` for the shares this endpoint creates (`opencode share <id> --expires 7d`). */
  readonly expires?: string
  /** Items of a share were queued (wake delivery; remember the session for the final sync). */
  readonly queued: (shareID: string, sessionID: string | undefined) => void
  readonly fetch?: typeof fetch
}

const refuse = (c: HonoContext, status: 400 | 401 | 403 | 404 | 413 | 421 | 502, error: string, message: string) => c.json({ error, message }, status)

export function relayApp(deps: RelayDeps): Hono {
  const app = new Hono()
  app.use("*", async (c, next) => {
    if (c.req.header("host") !== deps.host()) return refuse(c, 421, "host_not_allowed", "This endpoint answers only to the address it was bound to.")
    if (c.req.header("origin") !== undefined) return refuse(c, 403, "cross_origin", "This endpoint serves the runtime only, never a page.")
    await next()
  })
  const api = new Hono()
  api.use(
    "*",
    bodyLimit({ maxSize: RELAY_MAX_BODY, onError: (c) => refuse(c, 413, "body_too_large", `The body is over ${RELAY_MAX_BODY} bytes.`) }),
  )
  const body = async <T>(c: HonoContext, check: (value: unknown) => Checked<T>): Promise<Checked<T>> => {
    try {
      return check(await c.req.json())
    } catch {
      return { ok: false, problem: "the body is not JSON" }
    }
  }
  const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(effect)
  const signedIn = (c: HonoContext) =>
    run(deps.token(deps.origin)).then((token) =>
      token ? { token } : { response: refuse(c, 401, "not_signed_in", `Not signed in to ${deps.origin}: run opencode share login ${deps.origin}`) },
    )
  const passOn = (c: HonoContext, answer: ServerAnswer) => {
    // The server's words go to the runtime's log and screen: short, one line.
    const message = answer.message.replace(/\s+/g, " ").slice(0, 300)
    const status = answer.status === 401 || answer.status === 403 || answer.status === 404 || answer.status === 413 ? answer.status : 502
    const code = typeof answer.json === "object" && answer.json !== null && "error" in answer.json && typeof answer.json.error === "string" ? answer.json.error : "team_server_failed"
    return refuse(c, status, code, `${deps.origin}: ${message}`)
  }
  const shareID = (c: HonoContext) => {
    const id = c.req.param("id") ?? ""
    return SHARE_ID.test(id) ? id : undefined
  }

  api.post("/api/share", async (c) => {
    const checked = await body(c, createBody)
    if (!checked.ok) return refuse(c, 400, "bad_input", checked.problem)
    const auth = await signedIn(c)
    if ("response" in auth) return auth.response
    const answer = await teamRequest(deps.origin, "/api/share", {
      method: "POST",
      token: auth.token,
      body: JSON.stringify({ sessionID: checked.value.sessionID }),
      headers: deps.expires ? { "x-share-expires": deps.expires } : {},
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    })
    const made = typeof answer.json === "object" && answer.json !== null ? (answer.json as Record<string, unknown>) : undefined
    if (answer.status !== 200 || typeof made?.id !== "string" || !SHARE_ID.test(made.id) || typeof made.url !== "string" || typeof made.secret !== "string")
      return passOn(c, answer.status === 200 ? { status: 502, json: undefined, message: "the answer to a create was not {id, url, secret}" } : answer)
    // The link is the runtime's to show and copy: only one on the server itself, in the form the runtime's import reads.
    if (made.url !== `${deps.origin}/share/${made.id}`) return passOn(c, { status: 502, json: undefined, message: "the answer to a create linked elsewhere than the server's own /share/<id>" })
    const earlier = await run(deps.ledger.publication(deps.origin, made.id))
    // A server that hands out an id already published here for another session would overwrite its secret in the ledger.
    if (earlier && earlier.sessionID !== checked.value.sessionID)
      return passOn(c, { status: 502, json: undefined, message: `the server answered with share ${made.id}, which is another session's` })
    await run(deps.ledger.record({ origin: deps.origin, shareID: made.id, sessionID: checked.value.sessionID, url: made.url, secret: made.secret, createdAt: Date.now() }))
    // Known from now on: the final sync sends this session even if the runtime ends before its own sync.
    deps.queued(made.id, checked.value.sessionID)
    return c.json({ id: made.id, url: made.url, secret: made.secret })
  })

  /**
   * The share a sync or a revoke is about, with its checked body: only a share this overlay published and
   * has not revoked, with its own secret (another local process can neither feed nor take down a share).
   */
  const ownShare = async <T extends { readonly secret: string }>(c: HonoContext, check: (value: unknown) => Checked<T>) => {
    const id = shareID(c)
    if (!id) return { refused: refuse(c, 404, "share_not_found", "No such share.") }
    const checked = await body(c, check)
    if (!checked.ok) return { refused: refuse(c, 400, "bad_input", checked.problem) }
    const known = await run(deps.ledger.publication(deps.origin, id))
    if (!known || known.revokedAt !== null) return { refused: refuse(c, 404, "share_not_found", `Share ${id} was not published through this overlay.`) }
    if (!sameText(checked.value.secret, known.secret)) return { refused: refuse(c, 403, "wrong_secret", `The secret does not match share ${id}.`) }
    return { id, value: checked.value, known }
  }

  api.post("/api/share/:id/sync", async (c) => {
    const own = await ownShare(c, syncBody)
    if ("refused" in own) return own.refused
    const { id, value, known } = own
    // Redacted here, before the outbox: nothing raw is written to disk or leaves the machine.
    let items: JsonItem[]
    try {
      items = await redactItems(deps.sanitizer, value.items.map((item) => ({ ...item, json: JSON.stringify(item.data) })))
    } catch {
      // JSON nested deeper than the engine's stack: refused whole, nothing queued.
      return refuse(c, 400, "bad_input", "an item cannot be read (nested too deep)")
    }
    await run(deps.ledger.enqueue(deps.origin, id, items))
    deps.queued(id, known.sessionID)
    return c.json({})
  })

  api.delete("/api/share/:id", async (c) => {
    const own = await ownShare(c, secretBody)
    if ("refused" in own) return own.refused
    const { id, value } = own
    const auth = await signedIn(c)
    if ("response" in auth) return auth.response
    const answer = await revokeOnServer(deps.origin, id, value.secret, auth.token, deps.fetch)
    if (!answer.done) return passOn(c, answer)
    await run(deps.ledger.revoked(deps.origin, id, Date.now()))
    return c.json({})
  })

  api.all("*", (c) => refuse(c, 404, "not_found", "Not a route of this endpoint."))
  // Nothing on stderr (a TUI owns the terminal) and no stack to the caller.
  app.onError((_error, c) => c.json({ error: "relay_failed", message: "The overlay's share endpoint could not handle this request." }, 500))
  app.route(deps.prefix, api)
  app.all("*", (c) => refuse(c, 404, "not_found", "Not found."))
  return app
}
