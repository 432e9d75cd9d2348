/**
 * Delivering the outbox to a team server: each share's waiting items in
 * batches, with the member's token, until the server has them. The runtime
 * tries a sync once and forgets it; here an item leaves the outbox only when
 * the server said 200 for it. What each answer means:
 * - 200: delivered. 413 with more than one item: the batch is halved and sent
 *   again (the server's body limit is its own to choose).
 * - network error, 5xx, 429: tried again later (the caller's backoff).
 * - 401: the token is refused; the items wait for `opencode share login`.
 * - 404 (taken down, expired), 403 (not this share's secret), 413 for one
 *   item alone or over the share's quota, 400: nothing later could change the
 *   answer, so what waits for that share is dropped, and said.
 */
import * as Effect from "effect/Effect"
import type { LedgerFailed } from "./errors.ts"
import type { Queued, TeamLedger } from "./ledger.ts"
import { teamRequest } from "./server-api.ts"

/** Below the server's default body limit (16 MiB), so that a batch rarely needs halving. */
export const FIRST_BATCH_BYTES = 4 * 1024 * 1024

export type ShareOutcome =
  | { readonly kind: "delivered"; readonly items: number }
  /** Try again later (the server is down, busy or rate-limits). */
  | { readonly kind: "later"; readonly items: number; readonly why: string }
  /** Waits for the user (the token is refused). */
  | { readonly kind: "blocked"; readonly items: number; readonly why: string }
  /** Dropped: the server will never take these. */
  | { readonly kind: "dropped"; readonly items: number; readonly dropped: number; readonly why: string }

export type DeliveryDeps = {
  readonly ledger: TeamLedger["Service"]
  /** The member token for the origin, read when needed (a login during a run counts). */
  readonly token: (origin: string) => Effect.Effect<string | undefined>
  readonly fetch?: typeof fetch
}

/** A sync body from stored JSON, without parsing it again. */
const syncBody = (secret: string, items: ReadonlyArray<Queued>) =>
  `{"secret":${JSON.stringify(secret)},"data":[${items.map((i) => `{"type":${JSON.stringify(i.type)},"data":${i.data}}`).join(",")}]}`

/** Sends everything waiting for one share, batch by batch, as far as the server lets it. */
export const deliverShare = (deps: DeliveryDeps, origin: string, shareID: string): Effect.Effect<ShareOutcome, LedgerFailed> =>
  Effect.gen(function* () {
    const { ledger } = deps
    let delivered = 0
    let maxBytes = FIRST_BATCH_BYTES
    const drop = (why: string) =>
      Effect.map(ledger.drop(origin, shareID), (dropped): ShareOutcome => ({ kind: "dropped", items: delivered, dropped, why }))
    for (;;) {
      const publication = yield* ledger.publication(origin, shareID)
      if (!publication || publication.revokedAt !== null) return yield* drop(`share ${shareID} is not published from here (revoked)`)
      const batch = yield* ledger.batch(origin, shareID, maxBytes)
      if (batch.length === 0) return { kind: "delivered", items: delivered }
      const token = yield* deps.token(origin)
      if (!token) return { kind: "blocked", items: delivered, why: `not signed in to ${origin}: run opencode share login ${origin}` }
      const answer = yield* Effect.promise(() =>
        teamRequest(origin, `/api/share/${encodeURIComponent(shareID)}/sync`, {
          method: "POST",
          token,
          body: syncBody(publication.secret, batch),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        }),
      )
      if (answer.status === 200) {
        yield* ledger.delivered(origin, shareID, batch)
        delivered += batch.length
        continue
      }
      if (answer.status === 413 && batch.length > 1) {
        maxBytes = Math.max(1, Math.floor(batch.reduce((n, i) => n + i.data.length, 0) / 2))
        continue
      }
      if (answer.status === 0 || answer.status >= 500 || answer.status === 429)
        return { kind: "later", items: delivered, why: answer.status === 0 ? answer.message : `${origin} answered ${answer.status}: ${answer.message}` }
      if (answer.status === 401) return { kind: "blocked", items: delivered, why: `${origin} refused the member token (${answer.message}): run opencode share login ${origin}` }
      if (answer.status === 404) {
        const dropped = yield* ledger.drop(origin, shareID)
        yield* ledger.revoked(origin, shareID, Date.now())
        return { kind: "dropped", items: delivered, dropped, why: `share ${shareID} is gone from ${origin} (taken down or expired)` }
      }
      return yield* drop(`${origin} refused share ${shareID}'s items (HTTP ${answer.status}: ${answer.message})`)
    }
  })
