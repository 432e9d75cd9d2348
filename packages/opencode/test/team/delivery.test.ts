/**
 * Delivering the outbox against a team server that answers each way it can:
 * every item leaves the outbox only on a 200 for it; a batch over the
 * server's limit is halved until it passes; down, busy or rate-limited waits;
 * a refused token waits for the user; a share gone or refused for good is
 * dropped and said.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { deliverShare } from "../../src/team/delivery.ts"
import { TeamLedger } from "../../src/team/ledger.ts"

const ORIGIN = "https://share.example.com"
const SHARE = "Abc123Def456"

let dir: string
let scope: Scope.Closeable
let ledger: TeamLedger["Service"]

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "delivery-test-"))
  scope = Effect.runSync(Scope.make())
  ledger = Context.get(await Effect.runPromise(Layer.buildWithScope(TeamLedger.layer(join(dir, "team-shares.db")), scope)), TeamLedger)
  await Effect.runPromise(ledger.record({ origin: ORIGIN, shareID: SHARE, sessionID: "ses_1", url: `${ORIGIN}/share/${SHARE}`, secret: "s3cret", createdAt: 1 }))
})

afterEach(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  rmSync(dir, { recursive: true, force: true })
})

const items = (n: number, size = 100) =>
  Array.from({ length: n }, (_, i) => {
    const data = { id: `prt_${String(i).padStart(4, "0")}`, messageID: "msg_1", text: "x".repeat(size) }
    return { type: "part" as const, key: `part/msg_1/${data.id}`, data, json: JSON.stringify(data) }
  })

const waiting = async () => (await Effect.runPromise(ledger.pending(ORIGIN))).reduce((n, p) => n + p.items, 0)

/** A server answering `answer` for each sync body (its item count), recording what it took. */
function server(answer: (count: number, bytes: number) => number) {
  const taken: string[] = []
  const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { secret: string; data: Array<{ data: { id: string } }> }
    const status = answer(body.data.length, String(init?.body).length)
    if (status === 200) taken.push(...body.data.map((d) => d.data.id))
    return Response.json(status === 200 ? {} : { error: "x", message: `answered ${status}` }, { status })
  }) as typeof globalThis.fetch
  return { taken, fetch }
}

/** `token: null`: no member token kept. */
const deliver = (fetch: typeof globalThis.fetch, token: string | null = "ocs_member") =>
  Effect.runPromise(deliverShare({ ledger, token: () => Effect.succeed(token ?? undefined), fetch }, ORIGIN, SHARE))

describe("deliverShare", () => {
  test("everything goes, the outbox empties; a newer version queued meanwhile replaces the waiting one", async () => {
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(3)))
    const newer = items(1)[0]!
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, [{ ...newer, json: JSON.stringify({ ...newer.data, text: "newer" }) }]))
    const s = server(() => 200)
    expect(await deliver(s.fetch)).toEqual({ kind: "delivered", items: 3 })
    expect(s.taken).toEqual(["prt_0001", "prt_0002", "prt_0000"])
    expect(await waiting()).toBe(0)
  })

  test("over the server's body limit: halved until each batch passes; nothing lost", async () => {
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(40, 1000)))
    // A server that takes at most 10 kB a request.
    const s = server((_, bytes) => (bytes > 10_000 ? 413 : 200))
    expect(await deliver(s.fetch)).toEqual({ kind: "delivered", items: 40 })
    expect(new Set(s.taken).size).toBe(40)
    expect(await waiting()).toBe(0)
  })

  test("down, busy or rate-limited: later, and every item still waits", async () => {
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(2)))
    const down = (async () => {
      throw new TypeError("Unable to connect")
    }) as unknown as typeof globalThis.fetch
    expect(await deliver(down)).toMatchObject({ kind: "later", items: 0 })
    for (const status of [500, 503, 429]) expect(await deliver(server(() => status).fetch)).toMatchObject({ kind: "later", items: 0 })
    expect(await waiting()).toBe(2)
  })

  test("no token, or one refused: blocked for the user, nothing dropped", async () => {
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(2)))
    expect(await deliver(server(() => 200).fetch, null)).toMatchObject({ kind: "blocked", why: `not signed in to ${ORIGIN}: run opencode share login ${ORIGIN}` })
    expect(await deliver(server(() => 401).fetch)).toMatchObject({ kind: "blocked" })
    expect(await waiting()).toBe(2)
  })

  test("gone from the server (404): dropped and the ledger marks it revoked; refused for good (403): dropped, said", async () => {
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(2)))
    expect(await deliver(server(() => 403).fetch)).toMatchObject({ kind: "dropped", dropped: 2, why: expect.stringContaining("HTTP 403: answered 403") })
    expect(await waiting()).toBe(0)
    await Effect.runPromise(ledger.enqueue(ORIGIN, SHARE, items(2)))
    expect(await deliver(server(() => 404).fetch)).toMatchObject({ kind: "dropped", why: expect.stringContaining("gone from") })
    expect(await waiting()).toBe(0)
    expect((await Effect.runPromise(ledger.publication(ORIGIN, SHARE)))?.revokedAt).toBeNumber()
  })
})
