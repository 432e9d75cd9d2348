/**
 * The ledger of team sharing as a service (`team-shares.db` in the overlay's
 * data folder, 0600 in a 0700 folder): what was published where, and the
 * outbox of redacted items waiting for their server. Several overlay
 * processes of one user may use it at once (WAL, a busy wait): a queued item
 * survives the process that queued it, and the next one delivers it.
 */
import { Database } from "bun:sqlite"
import { chmodSync, mkdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm"
import { drizzle } from "drizzle-orm/bun-sqlite"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { overlayDataDir } from "../storage/paths.ts"
import { LedgerFailed } from "./errors.ts"
import * as schema from "./ledger-schema.ts"
import type { JsonItem } from "./redact-items.ts"

export const ledgerPath = (env: NodeJS.ProcessEnv = process.env) => join(overlayDataDir(env), "team-shares.db")

export type Publication = typeof schema.publication.$inferSelect

/** A redacted item waiting in the outbox. */
export type Queued = { readonly key: string; readonly type: string; readonly data: string; readonly seq: number }

/** A share with items waiting. */
export type Pending = { readonly origin: string; readonly shareID: string; readonly items: number }

export class TeamLedger extends Context.Service<
  TeamLedger,
  {
    readonly path: string
    readonly record: (p: Omit<Publication, "revokedAt">) => Effect.Effect<void, LedgerFailed>
    readonly publication: (origin: string, shareID: string) => Effect.Effect<Publication | undefined, LedgerFailed>
    /** The newest live publication of a session (on any server). */
    readonly ofSession: (sessionID: string) => Effect.Effect<Publication | undefined, LedgerFailed>
    readonly publications: () => Effect.Effect<ReadonlyArray<Publication>, LedgerFailed>
    /** Marks a share revoked and drops what was waiting for it. */
    readonly revoked: (origin: string, shareID: string, at: number) => Effect.Effect<void, LedgerFailed>
    /** Queues redacted items (JSON already made); a newer version of a key replaces the waiting one. */
    readonly enqueue: (origin: string, shareID: string, items: ReadonlyArray<JsonItem>) => Effect.Effect<void, LedgerFailed>
    /** The oldest waiting items of a share, up to `maxBytes` of JSON (at least one). */
    readonly batch: (origin: string, shareID: string, maxBytes: number) => Effect.Effect<ReadonlyArray<Queued>, LedgerFailed>
    /** Removes delivered items, unless a newer version was queued meanwhile. */
    readonly delivered: (origin: string, shareID: string, items: ReadonlyArray<Queued>) => Effect.Effect<void, LedgerFailed>
    /** Drops what waits for a share (gone from its server, or refused for good). */
    readonly drop: (origin: string, shareID: string) => Effect.Effect<number, LedgerFailed>
    readonly pending: (origin?: string) => Effect.Effect<ReadonlyArray<Pending>, LedgerFailed>
  }
>()("overlay/TeamLedger") {
  static readonly layer = (path: string = ledgerPath()): Layer.Layer<TeamLedger, LedgerFailed> =>
    Layer.effect(
      TeamLedger,
      Effect.acquireRelease(
        Effect.try({ try: () => open(path), catch: (cause) => new LedgerFailed({ path, message: messageOf(cause) }) }),
        (sqlite) => Effect.sync(() => sqlite.close()),
      ).pipe(Effect.map((sqlite) => make(path, sqlite))),
    )
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

function open(path: string): Database {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  chmodSync(dirname(path), 0o700)
  const sqlite = new Database(path, { create: true })
  chmodSync(path, 0o600)
  sqlite.exec("pragma journal_mode = wal")
  sqlite.exec("pragma busy_timeout = 10000")
  sqlite.transaction(() => sqlite.exec(schema.CREATE_TABLES)).immediate()
  return sqlite
}

function make(path: string, sqlite: Database): TeamLedger["Service"] {
  const db = drizzle({ client: sqlite, schema })
  const attempt = <A>(f: () => A) => Effect.try({ try: f, catch: (cause) => new LedgerFailed({ path, message: messageOf(cause) }) })
  const { publication, outbox } = schema
  const share = (origin: string, shareID: string) => and(eq(outbox.origin, origin), eq(outbox.shareID, shareID))

  return TeamLedger.of({
    path,
    record: (p) =>
      attempt(() => {
        db.insert(publication)
          .values({ ...p, revokedAt: null })
          .onConflictDoUpdate({ target: [publication.origin, publication.shareID], set: { sessionID: p.sessionID, url: p.url, secret: p.secret, revokedAt: null } })
          .run()
      }),
    publication: (origin, shareID) =>
      attempt(() => db.select().from(publication).where(and(eq(publication.origin, origin), eq(publication.shareID, shareID))).get()),
    ofSession: (sessionID) =>
      attempt(() =>
        db
          .select()
          .from(publication)
          .where(and(eq(publication.sessionID, sessionID), isNull(publication.revokedAt)))
          .orderBy(desc(publication.createdAt))
          .get(),
      ),
    publications: () => attempt(() => db.select().from(publication).orderBy(asc(publication.createdAt)).all()),
    revoked: (origin, shareID, at) =>
      attempt(() =>
        db.transaction((tx) => {
          tx.update(publication).set({ revokedAt: at }).where(and(eq(publication.origin, origin), eq(publication.shareID, shareID))).run()
          tx.delete(outbox).where(share(origin, shareID)).run()
        }),
      ),
    enqueue: (origin, shareID, items) =>
      attempt(() =>
        // One immediate transaction: the sequence numbers of two processes never collide, and the batch lands whole.
        db.transaction(
          (tx) => {
            let seq = tx.select({ top: sql<number>`coalesce(max(${outbox.seq}), 0)` }).from(outbox).get()?.top ?? 0
            for (const item of items) {
              seq++
              tx.insert(outbox)
                .values({ origin, shareID, key: item.key, type: item.type, data: item.json, seq })
                .onConflictDoUpdate({ target: [outbox.origin, outbox.shareID, outbox.key], set: { type: item.type, data: item.json, seq } })
                .run()
            }
          },
          { behavior: "immediate" },
        ),
      ),
    batch: (origin, shareID, maxBytes) =>
      attempt(() => {
        const out: Queued[] = []
        let bytes = 0
        const rows = sqlite
          .query<Queued, [string, string]>("select key, type, data, seq from outbox where origin = ? and share_id = ? order by seq limit 5000")
          .all(origin, shareID)
        for (const row of rows) {
          if (out.length > 0 && bytes + row.data.length > maxBytes) break
          out.push(row)
          bytes += row.data.length
        }
        return out
      }),
    delivered: (origin, shareID, items) =>
      attempt(() =>
        db.transaction((tx) => {
          for (const item of items) tx.delete(outbox).where(and(share(origin, shareID), eq(outbox.key, item.key), eq(outbox.seq, item.seq))).run()
        }),
      ),
    drop: (origin, shareID) => attempt(() => sqlite.query("delete from outbox where origin = ? and share_id = ?").run(origin, shareID).changes),
    pending: (origin) =>
      attempt(() =>
        db
          .select({ origin: outbox.origin, shareID: outbox.shareID, items: sql<number>`count(*)` })
          .from(outbox)
          .where(origin === undefined ? undefined : eq(outbox.origin, origin))
          .groupBy(outbox.origin, outbox.shareID)
          .orderBy(sql`min(${outbox.seq})`)
          .all(),
      ),
  })
}
