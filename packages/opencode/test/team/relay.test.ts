/**
 * The loopback endpoint's app against hostile requests, each beside the
 * request that passes (the control): only its own Host, no Origin, only
 * under the capability path, only shares it published with their secret;
 * what reaches the outbox is redacted; the upstream URL is the configured
 * origin whatever the request says.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as Exit from "effect/Exit"
import { createSanitizer } from "../../src/export/screen/sanitize.ts"
import { TeamLedger } from "../../src/team/ledger.ts"
import { relayApp } from "../../src/team/relay.ts"

const ORIGIN = "https://share.example.com"
const HOST = "127.0.0.1:4100"
const PREFIX = "/0123456789abcdef0123456789abcdef"
const TOKEN = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"

let dir: string
let scope: Scope.Closeable
let ledger: TeamLedger["Service"]
let sent: Array<{ url: string; method: string; authorization: string | null; body: string }>
let queued: string[]

/** What the fake server answers a create with (a test may make it lie). */
let createAnswer: () => Response

const fakeServer: typeof fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input)
  const headers = new Headers(init?.headers)
  sent.push({ url, method: init?.method ?? "GET", authorization: headers.get("authorization"), body: String(init?.body ?? "") })
  if (url === `${ORIGIN}/api/share` && init?.method === "POST") return createAnswer()
  if (url.startsWith(`${ORIGIN}/api/share/`) && init?.method === "DELETE") return Response.json({})
  return Response.json({ error: "not_found", message: "no" }, { status: 404 })
}) as typeof fetch

const app = (token: string | undefined = "ocs_member") =>
  relayApp({
    origin: ORIGIN,
    prefix: PREFIX,
    host: () => HOST,
    ledger,
    token: () => Effect.succeed(token),
    sanitizer: createSanitizer({ redact: true }),
    queued: (id) => queued.push(id),
    fetch: fakeServer,
  })

const call = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}, token?: string) =>
  app(token).request(`http://${HOST}${path}`, {
    method: init.method ?? "POST",
    headers: { host: HOST, "content-type": "application/json", ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  })

const created = async () => {
  const answer = await call(`${PREFIX}/api/share`, { body: { sessionID: "ses_1" } })
  expect(answer.status).toBe(200)
  return (await answer.json()) as { id: string; secret: string; url: string }
}
const item = (text: string) => ({ type: "part", data: { id: "prt_1", messageID: "msg_1", sessionID: "ses_1", type: "text", text } })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "relay-test-"))
  sent = []
  queued = []
  createAnswer = () => Response.json({ id: "Abc123Def456", url: `${ORIGIN}/share/Abc123Def456`, secret: "s3cret" })
  scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(TeamLedger.layer(join(dir, "team-shares.db")), scope))
  ledger = Context.get(context, TeamLedger)
})

afterEach(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  rmSync(dir, { recursive: true, force: true })
})

describe("the team endpoint's app", () => {
  test("a create goes to the configured origin with the member's token and is recorded in the ledger", async () => {
    const share = await created()
    expect(share).toEqual({ id: "Abc123Def456", url: `${ORIGIN}/share/Abc123Def456`, secret: "s3cret" })
    expect(sent).toEqual([{ url: `${ORIGIN}/api/share`, method: "POST", authorization: "Bearer ocs_member", body: '{"sessionID":"ses_1"}' }])
    expect(await Effect.runPromise(ledger.publication(ORIGIN, share.id))).toMatchObject({ sessionID: "ses_1", secret: "s3cret" })
    expect(queued).toEqual([share.id])
  })

  test("not signed in: 401 saying how, and nothing is sent", async () => {
    const answer = await call(`${PREFIX}/api/share`, { body: { sessionID: "ses_1" } }, "")
    expect(answer.status).toBe(401)
    expect(((await answer.json()) as { message: string }).message).toBe(`Not signed in to ${ORIGIN}: run opencode share login ${ORIGIN}`)
    expect(sent).toEqual([])
  })

  test("another Host (DNS rebinding), any Origin, another path: refused before anything is read", async () => {
    const body = { sessionID: "ses_1" }
    const refused = [
      await call(`${PREFIX}/api/share`, { body, headers: { host: "evil.example:4100" } }),
      await call(`${PREFIX}/api/share`, { body, headers: { host: "localhost:4100" } }),
      await call(`${PREFIX}/api/share`, { body, headers: { origin: `http://${HOST}` } }),
      await call(`${PREFIX}/api/share`, { body, headers: { origin: "null" } }),
      await call("/api/share", { body }),
      await call("/00000000000000000000000000000000/api/share", { body }),
      await call(`${PREFIX}/../api/share`, { body }),
    ]
    expect(refused.map((r) => r.status)).toEqual([421, 421, 403, 403, 404, 404, 404])
    expect(sent).toEqual([])
    // The control: the same request from the runtime passes.
    expect((await call(`${PREFIX}/api/share`, { body })).status).toBe(200)
  })

  test("a sync is redacted before the outbox; a share it did not publish, or the wrong secret, is refused", async () => {
    const share = await created()
    const sync = (id: string, secret: string, text: string) => call(`${PREFIX}/api/share/${id}/sync`, { body: { secret, data: [item(text)] } })
    expect((await sync("Zzz999Zzz999", share.secret, "x")).status).toBe(404)
    expect((await sync(share.id, "not-the-secret", "x")).status).toBe(403)
    expect((await sync(share.id, share.secret, `old key ${TOKEN}`)).status).toBe(200)
    const batch = await Effect.runPromise(ledger.batch(ORIGIN, share.id, 1 << 20))
    expect(batch).toHaveLength(1)
    expect(batch[0]!.data).not.toContain(TOKEN)
    expect(batch[0]!.data).toContain("[REDACTED:github-token]")
    // The ledger's file never held the token either (the control: the text was sent).
    for (const suffix of ["", "-wal"]) {
      const file = Bun.file(join(dir, `team-shares.db${suffix}`))
      if (await file.exists()) expect(Buffer.from(await file.arrayBuffer()).includes(TOKEN)).toBe(false)
    }
    // Only the create went upstream: syncs are the outbox's to deliver.
    expect(sent.map((s) => s.url)).toEqual([`${ORIGIN}/api/share`])
  })

  test("bad bodies are 400 with the reason, and write nothing", async () => {
    const share = await created()
    const answers = [
      await call(`${PREFIX}/api/share`, { body: "{not json" }),
      await call(`${PREFIX}/api/share`, { body: { sessionID: "../etc" } }),
      await call(`${PREFIX}/api/share/${share.id}/sync`, { body: { secret: share.secret, data: [item("ok"), { type: "part", data: { id: "prt_2" } }] } }),
    ]
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400])
    expect(((await answers[2]!.json()) as { message: string }).message).toBe("data[1].data.messageID is missing or not an id")
    // All or nothing: the good item of the refused sync is not queued.
    expect(await Effect.runPromise(ledger.batch(ORIGIN, share.id, 1 << 20))).toEqual([])
  })

  test("a share id that would change the upstream path is not a route", async () => {
    const share = await created()
    for (const id of ["..%2F..%2Fapi%2Fme", "a%2Fb", "a.b"]) {
      const answer = await call(`${PREFIX}/api/share/${id}`, { method: "DELETE", body: { secret: share.secret } })
      expect(answer.status).toBe(404)
    }
    expect(sent.filter((s) => s.method === "DELETE")).toEqual([])
    const revoked = await call(`${PREFIX}/api/share/${share.id}`, { method: "DELETE", body: { secret: share.secret } })
    expect(revoked.status).toBe(200)
    expect(sent.filter((s) => s.method === "DELETE").map((s) => s.url)).toEqual([`${ORIGIN}/api/share/${share.id}`])
    expect((await Effect.runPromise(ledger.publication(ORIGIN, share.id)))?.revokedAt).toBeNumber()
  })

  test("a team server's odd answers: a link elsewhere, another session's share id, an endless body: 502, nothing recorded", async () => {
    createAnswer = () => Response.json({ id: "Abc123Def456", url: "https://evil.example/phish", secret: "s" })
    const elsewhere = await call(`${PREFIX}/api/share`, { body: { sessionID: "ses_1" } })
    expect(elsewhere.status).toBe(502)
    expect(await Effect.runPromise(ledger.publication(ORIGIN, "Abc123Def456"))).toBeUndefined()

    createAnswer = () => Response.json({ id: "Abc123Def456", url: `${ORIGIN}/share/Abc123Def456`, secret: "s3cret" })
    await created()
    createAnswer = () => Response.json({ id: "Abc123Def456", url: `${ORIGIN}/share/Abc123Def456`, secret: "new" })
    const reused = await call(`${PREFIX}/api/share`, { body: { sessionID: "ses_2" } })
    expect(reused.status).toBe(502)
    // The first session's secret is kept: it can still be revoked from here.
    expect(await Effect.runPromise(ledger.publication(ORIGIN, "Abc123Def456"))).toMatchObject({ sessionID: "ses_1", secret: "s3cret" })

    let pulled = 0
    createAnswer = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++
            controller.enqueue(new Uint8Array(64 * 1024).fill(97))
          },
        }),
        { status: 500 },
      )
    const endless = await call(`${PREFIX}/api/share`, { body: { sessionID: "ses_3" } })
    expect(endless.status).toBe(502)
    expect(((await endless.json()) as { message: string }).message).toContain("answered with more than 65536 bytes")
    expect(pulled).toBeLessThan(10)
  })

  test("a revoke of a share it did not publish, or with the wrong secret, is not forwarded", async () => {
    const share = await created()
    expect((await call(`${PREFIX}/api/share/Zzz999Zzz999`, { method: "DELETE", body: { secret: "guess" } })).status).toBe(404)
    expect((await call(`${PREFIX}/api/share/${share.id}`, { method: "DELETE", body: { secret: "guess" } })).status).toBe(403)
    expect(sent.filter((s) => s.method === "DELETE")).toEqual([])
  })

  test("an item nested deeper than the engine's stack: 400, nothing queued, nothing printed", async () => {
    const share = await created()
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`
    const body = `{"secret":"${share.secret}","data":[{"type":"session_diff","data":[${deep}]}]}`
    const answer = await call(`${PREFIX}/api/share/${share.id}/sync`, { body })
    expect(answer.status).toBe(400)
    expect(await Effect.runPromise(ledger.batch(ORIGIN, share.id, 1 << 20))).toEqual([])
  })
})
