/**
 * The loopback endpoint for one team server, for as long as a runtime (or a
 * command) uses it: the relay (`relay.ts`) listening on 127.0.0.1, delivery
 * of the outbox in the background, and `finish`, the final full sync from the
 * runtime's database of every session shared through it or changed while it
 * was open (the ledger says which shares are this server's), delivered before
 * the overlay lets go. Nothing is printed while it runs (a TUI owns the
 * terminal); `finish` reports what happened.
 */
import type { Database } from "bun:sqlite"
import { randomBytes } from "node:crypto"
import { homedir } from "node:os"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createSanitizer } from "../export/screen/sanitize.ts"
import { deliverShare, type ShareOutcome } from "./delivery.ts"
import type { LedgerFailed } from "./errors.ts"
import type { TeamLedger } from "./ledger.ts"
import { RELAY_MAX_BODY, relayApp } from "./relay.ts"
import { redactItems } from "./redact-items.ts"
import { sessionItems } from "./session-items.ts"
import { sharedSince } from "../storage/session-reads.ts"

const IDLE_POLL_MS = 100
const MAX_BACKOFF_MS = 30_000
/** The final delivery gives up after this long without the server taking anything. */
const STALL_MS = 5_000

export type EndpointOptions = {
  readonly origin: string
  readonly ledger: TeamLedger["Service"]
  readonly token: (origin: string) => Effect.Effect<string | undefined>
  /** `x-share-expires` for shares created through this endpoint. */
  readonly expires?: string
  readonly fetch?: typeof fetch
}

export type FinishReport = {
  /** Items the server took during the final delivery. */
  readonly delivered: number
  /** Items still waiting in the outbox (delivered by a later run). */
  readonly waiting: number
  /** Why delivery stopped short or dropped items, once each. */
  readonly problems: ReadonlyArray<string>
}

export type TeamEndpoint = {
  /** What the runtime gets as `enterprise.url`. */
  readonly url: string
  readonly origin: string
  /** Sessions shared through this endpoint so far, by share id. */
  readonly shared: () => ReadonlyMap<string, string>
  /** Queues the whole session of each share (from the runtime's database), then delivers until done or `deadline` (ms since the epoch). */
  readonly finish: (database: Database | undefined, deadline: number) => Effect.Effect<FinishReport, LedgerFailed>
}

export const teamEndpoint = (options: EndpointOptions): Effect.Effect<TeamEndpoint, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { origin, ledger } = options
    // The export's redaction whole: secrets, and the home folder as `~`.
    const sanitizer = createSanitizer({ redact: true, home: process.env.HOME || homedir() })
    const shared = new Map<string, string>()
    const openedAt = Date.now()
    let dirty = true
    let host = ""
    const prefix = `/${randomBytes(16).toString("hex")}`
    const app = relayApp({
      origin,
      prefix,
      host: () => host,
      ledger,
      token: options.token,
      sanitizer,
      ...(options.expires ? { expires: options.expires } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      queued: (shareID, sessionID) => {
        if (sessionID) shared.set(shareID, sessionID)
        dirty = true
      },
    })
    const server = yield* Effect.acquireRelease(
      Effect.sync(() => Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch, maxRequestBodySize: RELAY_MAX_BODY, idleTimeout: 120 })),
      (s) => Effect.promise(() => s.stop(true)),
    )
    host = `127.0.0.1:${server.port}`

    const deliveryDeps = { ledger, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) }
    /** One pass over every share waiting for this server. */
    const pass = Effect.gen(function* () {
      const outcomes: ShareOutcome[] = []
      for (const { shareID } of yield* ledger.pending(origin)) outcomes.push(yield* deliverShare(deliveryDeps, origin, shareID))
      return outcomes
    })

    // In the background: deliver when something was queued, and try again with a growing pause while the server fails.
    let backoff = 0
    let retryAt = 0
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.gen(function* () {
          if (!dirty && (retryAt === 0 || Date.now() < retryAt)) return yield* Effect.sleep(IDLE_POLL_MS)
          dirty = false
          const outcomes = yield* pass.pipe(Effect.catch(() => Effect.succeed([{ kind: "later", items: 0, why: "ledger busy" } as const])))
          if (outcomes.some((o) => o.kind === "later")) {
            backoff = Math.min(MAX_BACKOFF_MS, backoff === 0 ? 500 : backoff * 2)
            retryAt = Date.now() + backoff
          } else {
            backoff = 0
            retryAt = 0
          }
        }),
      ),
    )

    const finish = (database: Database | undefined, deadline: number): Effect.Effect<FinishReport, LedgerFailed> =>
      Effect.gen(function* () {
        if (database) {
          // Shared sessions the runtime changed while this endpoint was open, whether or not its own sync got here.
          for (const { sessionID, shareID } of sharedSince(database, openedAt)) if (!shared.has(shareID)) shared.set(shareID, sessionID)
          for (const [shareID, sessionID] of shared) {
            const live = yield* ledger.publication(origin, shareID)
            if (!live || live.revokedAt !== null) continue
            for (const batch of sessionItems(database, sessionID)) {
              const clean = yield* Effect.promise(() => redactItems(sanitizer, batch))
              yield* ledger.enqueue(origin, shareID, clean)
            }
          }
        }
        let delivered = 0
        const problems = new Set<string>()
        let pause = 250
        let progressAt = Date.now()
        for (;;) {
          const outcomes = yield* pass
          for (const o of outcomes) {
            delivered += o.items
            if (o.items > 0) progressAt = Date.now()
            if (o.kind !== "delivered") problems.add(o.kind === "dropped" ? `${o.dropped} items dropped: ${o.why}` : o.why)
          }
          const waiting = (yield* ledger.pending(origin)).reduce((n, p) => n + p.items, 0)
          // Done; or only what waits for the user (a refused token) is left; or out of time; or the server has taken
          // nothing for a while (down): the outbox keeps it, and nobody should wait a minute after their run for that.
          const stalled = Date.now() - progressAt > STALL_MS
          if (waiting === 0 || outcomes.every((o) => o.kind !== "later") || stalled || Date.now() + pause > deadline)
            return { delivered, waiting, problems: [...problems] }
          yield* Effect.sleep(pause)
          pause = Math.min(pause * 2, 5_000)
        }
      })

    return { url: `http://${host}${prefix}`, origin, shared: () => shared, finish }
  })
