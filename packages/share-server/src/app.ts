/**
 * The share server's HTTP API and pages (Hono). It speaks the runtime's share
 * protocol (protocol.ts) and lets no one in but members: every route but
 * `GET /health` needs `Authorization: Bearer <member token>` (the overlay sends
 * it for the runtime, which cannot). What arrives is redacted again with the
 * export's rules before it is stored. Bad input gets a 4xx with the reason;
 * a body over the limit 413; more requests per minute than a member may make
 * 429 (counted in the database, so it holds across instances). Requests must
 * name this server in `Host` and, from a browser, come from its own origin.
 */
import { Hono, type Context as HonoContext } from "hono"
import { bodyLimit } from "hono/body-limit"
import { getCookie } from "hono/cookie"
import { secureHeaders } from "hono/secure-headers"
import { streamSSE } from "hono/streaming"
import * as Effect from "effect/Effect"
import type { Sanitizer } from "@local/opencode/sanitize"
import { allowedEmail, parseDuration, type ServerConfig } from "./config.ts"
import { BadInput, NotAdmin, NotMember, RateLimited, rowOf, type ServerError } from "./errors.ts"
import { messagePage, PAGE_CSP, sharePage } from "./page.ts"
import { createBody, ordered, secretBody, syncBody, type Checked } from "@local/opencode/share-protocol"
import { SESSION_COOKIE, signInRoutes } from "./sign-in.ts"
import type { ShareStore, StoredItem } from "./store.ts"

export type AppDeps = {
  readonly config: ServerConfig
  readonly store: ShareStore["Service"]
  readonly sanitizer: Sanitizer
  readonly version: string
  /** The origin links are made from and browsers must come from (the public URL, or where the server listens). */
  readonly origin: () => string
  /** `Host` values this server answers to. */
  readonly hosts: () => ReadonlySet<string>
  readonly now?: () => number
}

type Env = { Variables: { member: string } }

/** Share ids as this server makes them (and as the runtime's import accepts them in a link). */
const SHARE_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The header a publisher may set on create to keep a share up for less (or more) than the server's default. */
export const EXPIRES_HEADER = "x-share-expires"

const wantsHtml = (c: HonoContext) => (c.req.header("accept") ?? "").includes("text/html")

function failure(c: HonoContext, error: ServerError) {
  const row = rowOf(error)
  if (error._tag === "RateLimited") c.header("retry-after", String(error.retryAfter))
  if (error._tag === "StoreFailed") {
    // The database's own words go to the server's log, not to whoever asked.
    process.stderr.write(`opencode share-server: ${error.message}\n`)
    return c.json({ error: row.code, message: "The share server could not use its database; its log says why." }, row.status)
  }
  return c.json({ error: row.code, message: error.message }, row.status)
}

export function shareApp(deps: AppDeps): Hono<Env> {
  const { config, store, sanitizer } = deps
  const now = deps.now ?? Date.now
  const app = new Hono<Env>()
  const run = <A>(c: HonoContext, effect: Effect.Effect<A, ServerError>, ok: (a: A) => Response | Promise<Response>) =>
    Effect.runPromise(Effect.result(effect)).then((result) => (result._tag === "Failure" ? failure(c, result.failure) : ok(result.success)))

  app.use("*", secureHeaders({ referrerPolicy: "no-referrer", crossOriginResourcePolicy: "same-origin" }))
  app.use("*", async (c, next) => {
    await next()
    c.header("cache-control", "no-store")
  })
  // Only this server's own names: a page in a member's browser on another name (DNS rebinding) gets nothing.
  app.use("*", async (c, next) => {
    const host = c.req.header("host")
    if (!host || !deps.hosts().has(host.toLowerCase())) return c.json({ error: "host_not_allowed", message: `This server does not answer to Host ${JSON.stringify(host ?? "")}.` }, 421)
    const origin = c.req.header("origin")
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && origin !== undefined && origin !== deps.origin())
      return c.json({ error: "cross_origin", message: `Requests from ${origin} are refused.` }, 403)
    await next()
  })

  app.get("/health", (c) => c.json({ ok: true }))

  if (config.oidc) {
    const oidc = config.oidc
    app.route(
      "/",
      signInRoutes({
        config,
        oidc,
        store,
        origin: deps.origin,
        now,
        audit: (actor, action, detail) => Effect.runPromise(Effect.ignore(store.record({ actor, action, shareID: null, detail }))),
      }),
    )
  }

  // Members only: a token, not revoked, of an e-mail the server allows; counted against the member's rate.
  // A browser signed in (OpenID Connect) may read with its session cookie; writing always takes a token.
  const members = async (c: HonoContext<Env>, next: () => Promise<void>) => {
    const auth = c.req.header("authorization") ?? ""
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1]
    const reading = c.req.method === "GET" || c.req.method === "HEAD"
    const session = !token && reading && config.oidc ? getCookie(c, SESSION_COOKIE) : undefined
    const denied = (why: string) => {
      // A browser is sent to sign in, and back here after.
      if (wantsHtml(c) && reading && config.oidc) return c.redirect(`/auth/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 302)
      if (wantsHtml(c)) return c.html(messagePage("Members only", `${why} Sign in with a member's token (opencode share login).`), 401)
      c.header("www-authenticate", 'Bearer realm="opencode share server"')
      return failure(c, new NotMember({ why }))
    }
    if (!token && !session) return denied("This share server is for its members only.")
    const found = await Effect.runPromise(Effect.result(token ? store.member(token) : store.sessionMember(session!, now())))
    if (found._tag === "Failure") return failure(c, found.failure)
    const email = found.success
    if (!email) return denied(token ? "The token is not a member's token here (unknown or revoked)." : "Your sign-in has ended.")
    if (!allowedEmail(config, email)) return denied(`${email} is not of the domain this server allows.`)
    const counted = await Effect.runPromise(Effect.result(store.count(email, now())))
    if (counted._tag === "Failure") return failure(c, counted.failure)
    if (counted.success > config.requestsPerMinute) return failure(c, new RateLimited({ retryAfter: 60 - Math.floor((now() % 60_000) / 1000) }))
    c.set("member", email)
    await next()
  }
  const limit = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (c) => c.json({ error: "body_too_large", message: `The body is over this server's limit of ${config.maxBodyBytes} bytes: send it in smaller batches.` }, 413),
  })
  /** The request's body read as JSON and checked by `check` (protocol.ts), or what is wrong with it. */
  const body = async <T>(c: HonoContext, check: (value: unknown) => Checked<T>): Promise<Checked<T>> => {
    let value: unknown
    try {
      value = await c.req.json()
    } catch {
      return { ok: false, problem: "the body is not JSON" }
    }
    return check(value)
  }
  const shareID = (c: HonoContext) => {
    const id = c.req.param("id") ?? ""
    return SHARE_ID.test(id) ? id : undefined
  }
  const notFound = (c: HonoContext) => c.json({ error: "share_not_found", message: "No such share here." }, 404)

  /** Who the token belongs to: what `opencode share login` checks before it keeps a token. */
  app.get("/api/me", members, (c) => c.json({ email: c.get("member") }))

  app.post("/api/share", members, limit, async (c) => {
    const checked = await body(c, createBody)
    if (!checked.ok) return failure(c, new BadInput({ problem: checked.problem }))
    const asked = c.req.header(EXPIRES_HEADER)
    const wanted = asked === undefined ? config.expiryMs : parseDuration(asked)
    if (wanted === undefined) return failure(c, new BadInput({ problem: `${EXPIRES_HEADER} must be a duration of at most a year: 90m, 12h, 7d, 2w` }))
    // A publisher may keep a share up for less than the server's --expires, never for more.
    const expiryMs = Math.min(wanted, config.expiryMs)
    const member = c.get("member")
    const createdAt = now()
    const expiresAt = createdAt + expiryMs
    const made = Effect.gen(function* () {
      const share = yield* store.create({ sessionID: checked.value.sessionID, owner: member, createdAt, expiresAt })
      yield* store.record({ actor: member, action: "create", shareID: share.id, detail: `session ${checked.value.sessionID}, expires in ${Math.round(expiryMs / 3_600_000)} h` })
      return share
    })
    return run(c, made, (share) =>
      c.json({ id: share.id, url: `${deps.origin()}/share/${share.id}`, secret: share.secret, expiresAt: new Date(expiresAt).toISOString() }),
    )
  })

  app.post("/api/share/:id/sync", members, limit, async (c) => {
    const id = shareID(c)
    if (!id) return notFound(c)
    const checked = await body(c, syncBody)
    if (!checked.ok) return failure(c, new BadInput({ problem: checked.problem }))
    const member = c.get("member")
    const synced = Effect.gen(function* () {
      yield* store.live(id, now())
      // Redacted again here, whatever the publisher did: nothing is stored as it came.
      const items: StoredItem[] = []
      for (const item of checked.value.items) {
        const clean = yield* Effect.tryPromise({
          try: () => sanitizer.value(item.data, JSON.stringify(item.data)),
          // JSON nested deeper than the engine's stack: refused whole, nothing stored.
          catch: () => new BadInput({ problem: `${item.key}: the item cannot be read (nested too deep)` }),
        })
        items.push({ key: item.key, type: item.type, json: clean.json })
      }
      yield* store.sync(id, checked.value.secret, items, now(), config.maxShareBytes).pipe(
        Effect.tapError((error) =>
          error._tag === "WrongSecret" ? store.record({ actor: member, action: "sync refused: wrong secret", shareID: id, detail: null }) : Effect.void,
        ),
      )
      yield* store.record({ actor: member, action: "sync", shareID: id, detail: `${items.length} items` })
    })
    return run(c, synced, () => c.json({}))
  })

  app.delete("/api/share/:id", members, limit, async (c) => {
    const id = shareID(c)
    if (!id) return notFound(c)
    const checked = await body(c, secretBody)
    if (!checked.ok) return failure(c, new BadInput({ problem: checked.problem }))
    const member = c.get("member")
    const removed = Effect.gen(function* () {
      const share = yield* store.remove(id, checked.value.secret, member)
      yield* store.record({ actor: member, action: "revoke", shareID: id, detail: `session ${share.sessionID}` })
    })
    return run(c, removed, () => c.json({}))
  })

  /** A share that is up, its items, and a line in the audit log saying who read it how. */
  const readShare = (id: string, member: string, how: "data" | "page") =>
    Effect.gen(function* () {
      yield* store.live(id, now())
      const items = yield* store.items(id)
      yield* store.record({ actor: member, action: "read", shareID: id, detail: how })
      return items
    })

  /** A share's items, for the runtime's import: the latest version of each, in the order it reads them. */
  app.get("/api/share/:id/data", members, async (c) => {
    const id = shareID(c)
    if (!id) return notFound(c)
    const read = readShare(id, c.get("member"), "data")
    return run(c, read, (items) => {
      // The stored JSON as it is, not parsed and written again.
      const body = `[${ordered(items).map((i) => `{"type":${JSON.stringify(i.type)},"data":${i.json}}`).join(",")}]`
      return c.body(body, 200, { "content-type": "application/json; charset=utf-8" })
    })
  })

  /** Tells a page when its share changed (a sync on any instance, a take-down): server-sent events. */
  app.get("/api/share/:id/events", members, async (c) => {
    const id = shareID(c)
    if (!id) return notFound(c)
    const live = await Effect.runPromise(Effect.result(store.live(id, now())))
    if (live._tag === "Failure") return failure(c, live.failure)
    return streamSSE(c, async (stream) => {
      let changed: () => void = () => {}
      let wake = new Promise<void>((resolve) => (changed = resolve))
      const stop = await Effect.runPromise(store.watch(id, () => changed()))
      stream.onAbort(() => {
        stop()
        changed()
      })
      try {
        await stream.writeSSE({ event: "ready", data: "{}" })
        while (!stream.aborted) {
          // A comment now and then keeps proxies from closing a quiet stream.
          const woke = await Promise.race([wake.then(() => true), Bun.sleep(20_000).then(() => false)])
          if (stream.aborted) break
          if (woke) {
            wake = new Promise<void>((resolve) => (changed = resolve))
            await stream.writeSSE({ event: "change", data: "{}" })
          } else await stream.write(": still here\n\n")
        }
      } finally {
        stop()
      }
    })
  })

  app.get("/share/:id", members, async (c) => {
    const id = shareID(c)
    if (!id) return c.html(messagePage("Not found", "No such share here."), 404)
    const result = await Effect.runPromise(Effect.result(readShare(id, c.get("member"), "page")))
    if (result._tag === "Failure") {
      if (result.failure._tag === "ShareNotFound") return c.html(messagePage("Not found", result.failure.message), 404)
      return failure(c, result.failure)
    }
    c.header("content-security-policy", PAGE_CSP)
    try {
      return c.html(await sharePage(result.success, { version: deps.version, redaction: sanitizer.redaction, now: now() }))
    } catch {
      // Items a runtime would not send (a title that is not text, …): the data is there, the page cannot be made.
      return c.html(messagePage("This share cannot be shown", `Its items are not a session this page can show; /api/share/${id}/data has them as they were sent.`), 500)
    }
  })

  // Administrators (named with --admin) over HTTP, as on the server's command line: every share, take any down,
  // the audit log, members' tokens. Signed in as an administrator; changes need a token (a header), as every write.
  const admins = async (c: HonoContext<Env>, next: () => Promise<void>) => {
    const member = c.get("member")
    if (!config.admins.includes(member.toLowerCase())) return failure(c, new NotAdmin({ member }))
    await next()
  }
  app.get("/api/admin/shares", members, admins, (c) => run(c, store.shares(), (shares) => c.json(shares)))
  app.delete("/api/admin/share/:id", members, admins, async (c) => {
    const id = shareID(c)
    if (!id) return notFound(c)
    const admin = c.get("member")
    const takenDown = Effect.gen(function* () {
      const share = yield* store.remove(id, undefined, admin)
      yield* store.record({ actor: admin, action: "take down", shareID: id, detail: `session ${share.sessionID} of ${share.owner}` })
      return share
    })
    return run(c, takenDown, (share) => c.json(share))
  })
  app.get("/api/admin/audit", members, admins, (c) => {
    const limit = Number(c.req.query("limit") ?? 200)
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return failure(c, new BadInput({ problem: "limit must be a whole number from 1 to 10000" }))
    return run(c, store.audit(limit), (entries) => c.json(entries))
  })
  app.get("/api/admin/tokens", members, admins, (c) => run(c, store.tokens(), (tokens) => c.json(tokens)))
  app.post("/api/admin/tokens", members, admins, limit, async (c) => {
    const checked = await body(c, (value) => {
      const email = typeof value === "object" && value !== null && "email" in value && typeof value.email === "string" ? value.email.trim().toLowerCase() : ""
      return allowedEmail(config, email) ? { ok: true, value: email } : { ok: false, problem: `email must be a member's e-mail address${config.allowEmailDomain ? ` of ${config.allowEmailDomain}` : ""}` }
    })
    if (!checked.ok) return failure(c, new BadInput({ problem: checked.problem }))
    const admin = c.get("member")
    const made = Effect.gen(function* () {
      const token = yield* store.createToken(checked.value, admin)
      yield* store.record({ actor: admin, action: "token create", shareID: null, detail: `${token.id} for ${checked.value}` })
      return token
    })
    return run(c, made, (token) => c.json({ ...token, email: checked.value }))
  })
  app.delete("/api/admin/tokens/:id", members, admins, async (c) => {
    const id = c.req.param("id") ?? ""
    const admin = c.get("member")
    const revoked = Effect.gen(function* () {
      const token = yield* store.revokeToken(id)
      if (!token) return yield* new BadInput({ problem: `no token ${id} here` })
      yield* store.record({ actor: admin, action: "token revoke", shareID: null, detail: `${id} of ${token.email}` })
      return token
    })
    return run(c, revoked, (token) => c.json(token))
  })

  app.notFound((c) => c.json({ error: "not_found", message: `No route ${c.req.method} ${new URL(c.req.url).pathname}.` }, 404))
  return app
}
