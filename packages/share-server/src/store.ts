/**
 * The share server's storage as a service: shares and their items, member
 * tokens, rate-limit counters and the audit log, in one SQLite file (drizzle
 * over `bun:sqlite`). A sync is stored whole or not at all (one transaction);
 * secrets and tokens are kept as SHA-256 hashes; every state is in the
 * database, so two processes on one file agree.
 */
import { Database } from "bun:sqlite"
import { createHash, randomBytes, randomUUID } from "node:crypto"
import { sameText } from "@local/opencode/same-text"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm"
import { drizzle } from "drizzle-orm/bun-sqlite"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { QuotaExceeded, ShareNotFound, StoreFailed, WrongSecret } from "./errors.ts"
import type { KeyedItem } from "@local/opencode/share-protocol"
import * as schema from "./schema.ts"

export type ShareInfo = {
  readonly id: string
  readonly sessionID: string
  readonly owner: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly removedAt: number | null
  readonly removedBy: string | null
}

export type TokenInfo = { readonly id: string; readonly email: string; readonly createdAt: number; readonly createdBy: string; readonly revokedAt: number | null }

export type AuditEntry = { readonly at: number; readonly actor: string; readonly action: string; readonly shareID: string | null; readonly detail: string | null }

/** An item as stored: its JSON, already redacted. */
export type StoredItem = { readonly key: string; readonly type: KeyedItem["type"]; readonly json: string }

export class ShareStore extends Context.Service<
  ShareStore,
  {
    readonly path: string
    /** A new share of `sessionID` for `owner`: its id and its secret (shown once; only its hash is kept). */
    readonly create: (input: { readonly sessionID: string; readonly owner: string; readonly createdAt: number; readonly expiresAt: number }) => Effect.Effect<{ readonly id: string; readonly secret: string }, StoreFailed>
    /** Stores each item as the latest version of its key, all of them or none. */
    /** `now` decides expiry, checked in the same transaction as the write (a share taken down meanwhile gets nothing). */
    readonly sync: (
      id: string,
      secret: string,
      items: ReadonlyArray<StoredItem>,
      now: number,
      /** The most a share may hold (its items' JSON, in bytes): over it, nothing of this sync is stored. */
      quota: number,
    ) => Effect.Effect<void, ShareNotFound | WrongSecret | QuotaExceeded | StoreFailed>
    /** Deletes what expired shares published (their records stay, for the audit); answers how many shares. */
    readonly purgeExpired: (now: number) => Effect.Effect<number, StoreFailed>
    /** Takes a share down with its secret (its owner) or as an administrator (`secret` undefined). */
    readonly remove: (id: string, secret: string | undefined, by: string) => Effect.Effect<ShareInfo, ShareNotFound | WrongSecret | StoreFailed>
    /** A share that is up (not taken down, not expired at `now`). */
    readonly live: (id: string, now: number) => Effect.Effect<ShareInfo, ShareNotFound | StoreFailed>
    /** The latest version of each item of a share, in the order the runtime's import reads them. */
    readonly items: (id: string) => Effect.Effect<ReadonlyArray<StoredItem>, StoreFailed>
    readonly shares: () => Effect.Effect<ReadonlyArray<ShareInfo>, StoreFailed>
    /** A member token for `email`: its id, and the token itself (shown once; only its hash is kept). */
    readonly createToken: (email: string, by: string) => Effect.Effect<{ readonly id: string; readonly token: string }, StoreFailed>
    readonly revokeToken: (id: string) => Effect.Effect<TokenInfo | undefined, StoreFailed>
    readonly tokens: () => Effect.Effect<ReadonlyArray<TokenInfo>, StoreFailed>
    /** The member a token belongs to, if it is one and not revoked. */
    readonly member: (token: string) => Effect.Effect<string | undefined, StoreFailed>
    /** Counts one request of `member` in the current minute; answers the count so far. */
    readonly count: (member: string, now: number) => Effect.Effect<number, StoreFailed>
    readonly record: (entry: Omit<AuditEntry, "at"> & { readonly at?: number }) => Effect.Effect<void, StoreFailed>
    /** A browser's sign-in: the cookie's token (only its hash is kept), valid until `expiresAt`. */
    readonly openSession: (email: string, now: number, expiresAt: number) => Effect.Effect<string, StoreFailed>
    /** The member a browser's cookie token belongs to, while it is valid. */
    readonly sessionMember: (token: string, now: number) => Effect.Effect<string | undefined, StoreFailed>
    readonly closeSession: (token: string) => Effect.Effect<void, StoreFailed>
    /** The key this server's instances sign short-lived cookies with (made once, kept in the database, so every instance agrees). */
    readonly signingKey: () => Effect.Effect<string, StoreFailed>
    /**
     * Calls `onChange` when a share's items change or it is taken down: syncs this
     * process stored (SQLite), or any instance's (PostgreSQL, LISTEN/NOTIFY).
     * Gives the function that stops watching.
     */
    readonly watch: (id: string, onChange: () => void) => Effect.Effect<() => void, StoreFailed>
    readonly audit: (limit: number) => Effect.Effect<ReadonlyArray<AuditEntry>, StoreFailed>
  }
>()("share-server/ShareStore") {
  static readonly sqlite = (path: string): Layer.Layer<ShareStore, StoreFailed> =>
    Layer.effect(
      ShareStore,
      Effect.map(
        Effect.acquireRelease(
          Effect.try({ try: () => openDatabase(path), catch: failed }),
          (sqlite) => Effect.sync(() => sqlite.close()),
        ),
        (sqlite) => make(path, sqlite),
      ),
    )
}

export const failed = (cause: unknown) => new StoreFailed({ problem: cause instanceof Error ? cause.message : String(cause) })

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

export const sameHash = sameText

/** Link slugs: 12 characters of [A-Za-z0-9] (71 bits), what the runtime's import accepts in a link. */
const SLUG_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
export function slug(): string {
  const bytes = randomBytes(24)
  let out = ""
  // Rejection sampling: 248 = 4 × 62, so every letter is as likely.
  for (const b of bytes) if (b < 248 && out.length < 12) out += SLUG_ALPHABET[b % 62]
  return out.length === 12 ? out : slug()
}

/** A member token: recognisable in a leak report, 256 random bits. */
export const newToken = () => `ocs_${randomBytes(32).toString("base64url")}`

function openDatabase(path: string): Database {
  mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path, { create: true })
  sqlite.exec("pragma journal_mode = wal")
  // Another instance may be writing: wait for it rather than fail.
  sqlite.exec("pragma busy_timeout = 10000")
  // Two instances starting at once take turns: the tables are made under the write lock.
  sqlite
    .transaction(() => {
      sqlite.exec(schema.CREATE_TABLES)
      sqlite.query("insert or replace into meta (key, value) values ('schema', ?)").run(String(schema.SCHEMA_VERSION))
    })
    .immediate()
  return sqlite
}

/** Who watches which share, in this process: told after a change is committed. */
export function watchers() {
  const byShare = new Map<string, Set<() => void>>()
  return {
    add: (id: string, onChange: () => void) => {
      const set = byShare.get(id) ?? byShare.set(id, new Set()).get(id)!
      set.add(onChange)
      return () => {
        set.delete(onChange)
        if (set.size === 0) byShare.delete(id)
      }
    },
    tell: (id: string) => {
      for (const onChange of byShare.get(id) ?? []) onChange()
    },
  }
}

function make(path: string, sqlite: Database): ShareStore["Service"] {
  const db = drizzle({ client: sqlite, schema })
  const watching = watchers()
  const attempt = <A>(f: () => A) => Effect.try({ try: f, catch: failed })

  const find = (id: string) => db.select().from(schema.share).where(eq(schema.share.id, id)).get()
  /** A share as the rest of the server sees it: never its secret's hash. */
  const info = ({ secretHash: _, ...share }: typeof schema.share.$inferSelect): ShareInfo => share

  return ShareStore.of({
    path,
    create: ({ sessionID, owner, createdAt, expiresAt }) =>
      attempt(() => {
        const secret = randomUUID()
        for (;;) {
          const id = slug()
          if (find(id)) continue
          db.insert(schema.share).values({ id, sessionID, owner, secretHash: sha256(secret), createdAt, expiresAt }).run()
          return { id, secret }
        }
      }),
    sync: (id, secret, items, now, quota) =>
      Effect.flatten(
        attempt((): Effect.Effect<void, ShareNotFound | WrongSecret | QuotaExceeded> => {
          try {
            // One immediate transaction: the share's state and secret are read under the write lock, so a revoke
            // by another process cannot land between the check and the write.
            return db.transaction(
              (tx): Effect.Effect<void, ShareNotFound | WrongSecret> => {
                const share = tx.select().from(schema.share).where(eq(schema.share.id, id)).get()
                if (!share || share.removedAt !== null || share.expiresAt <= now) return Effect.fail(new ShareNotFound({ id }))
                if (!sameHash(share.secretHash, sha256(secret))) return Effect.fail(new WrongSecret({ id }))
                for (const item of items)
                  tx.insert(schema.item)
                    .values({ shareID: id, key: item.key, type: item.type, data: item.json, updatedAt: now })
                    .onConflictDoUpdate({ target: [schema.item.shareID, schema.item.key], set: { type: item.type, data: item.json, updatedAt: now } })
                    .run()
                const held = tx
                  .select({ bytes: sql<number | null>`sum(length(cast(${schema.item.data} as blob)))` })
                  .from(schema.item)
                  .where(eq(schema.item.shareID, id))
                  .get()
                // Over the quota: thrown, so the transaction rolls back and nothing of this sync stays.
                if ((held?.bytes ?? 0) > quota) throw new QuotaExceeded({ id, limit: quota })
                return Effect.void
              },
              { behavior: "immediate" },
            )
          } catch (cause) {
            if (cause instanceof QuotaExceeded) return Effect.fail(cause)
            throw cause
          }
        }),
      ).pipe(Effect.tap(() => Effect.sync(() => watching.tell(id)))),
    purgeExpired: (now) =>
      attempt(() =>
        db.transaction(
          (tx) => {
            const expired = tx
              .select({ id: schema.share.id })
              .from(schema.share)
              .where(and(lt(schema.share.expiresAt, now), isNull(schema.share.removedAt)))
              .all()
            for (const { id } of expired) {
              tx.delete(schema.item).where(eq(schema.item.shareID, id)).run()
              tx.update(schema.share).set({ removedAt: now, removedBy: "expired" }).where(eq(schema.share.id, id)).run()
            }
            return expired.length
          },
          { behavior: "immediate" },
        ),
      ),
    remove: (id, secret, by) =>
      Effect.gen(function* () {
        const share = yield* attempt(() => find(id))
        if (!share || share.removedAt !== null) return yield* Effect.fail(new ShareNotFound({ id }))
        if (secret !== undefined && !sameHash(share.secretHash, sha256(secret))) return yield* Effect.fail(new WrongSecret({ id }))
        const removedAt = Date.now()
        yield* attempt(() =>
          db.transaction((tx) => {
            tx.update(schema.share).set({ removedAt, removedBy: by }).where(eq(schema.share.id, id)).run()
            // What was published leaves with the share: only its record stays, for the audit.
            tx.delete(schema.item).where(eq(schema.item.shareID, id)).run()
          }),
        )
        watching.tell(id)
        return { ...info(share), removedAt, removedBy: by }
      }),
    live: (id, now) =>
      Effect.flatMap(
        attempt(() => find(id)),
        (share) => (share && share.removedAt === null && share.expiresAt > now ? Effect.succeed(info(share)) : Effect.fail(new ShareNotFound({ id }))),
      ),
    items: (id) =>
      attempt(() =>
        db
          .select({ key: schema.item.key, type: schema.item.type, json: schema.item.data })
          .from(schema.item)
          .where(eq(schema.item.shareID, id))
          .all()
          .map((row) => ({ ...row, type: row.type as KeyedItem["type"] })),
      ),
    shares: () => attempt(() => db.select().from(schema.share).orderBy(desc(schema.share.createdAt)).all().map(info)),
    createToken: (email, by) =>
      attempt(() => {
        const token = newToken()
        const id = `tok_${randomBytes(6).toString("hex")}`
        db.insert(schema.memberToken).values({ id, email, hash: sha256(token), createdAt: Date.now(), createdBy: by }).run()
        return { id, token }
      }),
    revokeToken: (id) =>
      attempt(() => {
        const row = db.select().from(schema.memberToken).where(eq(schema.memberToken.id, id)).get()
        if (!row) return undefined
        if (row.revokedAt !== null) return { id: row.id, email: row.email, createdAt: row.createdAt, createdBy: row.createdBy, revokedAt: row.revokedAt }
        const revokedAt = Date.now()
        db.update(schema.memberToken).set({ revokedAt }).where(eq(schema.memberToken.id, id)).run()
        return { id: row.id, email: row.email, createdAt: row.createdAt, createdBy: row.createdBy, revokedAt }
      }),
    tokens: () =>
      attempt(() =>
        db
          .select({ id: schema.memberToken.id, email: schema.memberToken.email, createdAt: schema.memberToken.createdAt, createdBy: schema.memberToken.createdBy, revokedAt: schema.memberToken.revokedAt })
          .from(schema.memberToken)
          .orderBy(schema.memberToken.createdAt)
          .all(),
      ),
    member: (token) =>
      attempt(
        () =>
          db
            .select({ email: schema.memberToken.email })
            .from(schema.memberToken)
            .where(and(eq(schema.memberToken.hash, sha256(token)), isNull(schema.memberToken.revokedAt)))
            .get()?.email,
      ),
    count: (member, now) =>
      attempt(() => {
        const window = Math.floor(now / 60_000)
        return db.transaction((tx) => {
          const row = tx
            .insert(schema.rate)
            .values({ member, window, count: 1 })
            .onConflictDoUpdate({ target: [schema.rate.member, schema.rate.window], set: { count: sql`${schema.rate.count} + 1` } })
            .returning({ count: schema.rate.count })
            .get()
          // Counters of past minutes are of no use: dropped as they age.
          tx.delete(schema.rate).where(lt(schema.rate.window, window - 1)).run()
          return row?.count ?? 1
        })
      }),
    record: (entry) =>
      attempt(() => {
        db.insert(schema.audit)
          .values({ at: entry.at ?? Date.now(), actor: entry.actor, action: entry.action, shareID: entry.shareID, detail: entry.detail })
          .run()
      }),
    openSession: (email, now, expiresAt) =>
      attempt(() => {
        const token = `ocw_${randomBytes(32).toString("base64url")}`
        db.insert(schema.webSession).values({ hash: sha256(token), email, createdAt: now, expiresAt }).run()
        // Sessions past their time are of no use: dropped as new ones open.
        db.delete(schema.webSession).where(lt(schema.webSession.expiresAt, now)).run()
        return token
      }),
    sessionMember: (token, now) =>
      attempt(() => {
        const row = db.select().from(schema.webSession).where(eq(schema.webSession.hash, sha256(token))).get()
        return row && row.expiresAt > now ? row.email : undefined
      }),
    closeSession: (token) =>
      attempt(() => {
        db.delete(schema.webSession).where(eq(schema.webSession.hash, sha256(token))).run()
      }),
    watch: (id, onChange) => Effect.sync(() => watching.add(id, onChange)),
    signingKey: () =>
      attempt(() =>
        db.transaction(
          (tx) => {
            const row = tx.select().from(schema.meta).where(eq(schema.meta.key, "signing_key")).get()
            if (row) return row.value
            const key = randomBytes(32).toString("hex")
            tx.insert(schema.meta).values({ key: "signing_key", value: key }).run()
            return key
          },
          { behavior: "immediate" },
        ),
      ),
    audit: (limit) =>
      attempt(() =>
        db
          .select({ at: schema.audit.at, actor: schema.audit.actor, action: schema.audit.action, shareID: schema.audit.shareID, detail: schema.audit.detail })
          .from(schema.audit)
          .orderBy(desc(schema.audit.id))
          .limit(limit)
          .all(),
      ),
  })
}
