/**
 * The share server's storage on PostgreSQL (`--database postgres://…`), for a
 * team that runs several instances behind a load balancer: every state the
 * server keeps (shares, items, members' tokens and browser sessions,
 * rate-limit counters, the audit log, the signing key) is in the database,
 * so instances agree. The same service as the SQLite store (`store.ts`), with
 * the same rules: a sync is one transaction with the share's state and
 * secret (the share's row locked), over the quota it rolls back whole. A sync
 * or a take-down is announced with NOTIFY in its transaction, so a page open
 * on any instance follows it (LISTEN, one connection per instance). Tables are
 * created at start under an advisory lock. postgres.js through drizzle.
 */
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm"
import { drizzle } from "drizzle-orm/postgres-js"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import postgres from "postgres"
import { randomBytes, randomUUID } from "node:crypto"
import { QuotaExceeded, ShareNotFound, StoreFailed, WrongSecret } from "./errors.ts"
import type { KeyedItem } from "@local/opencode/share-protocol"
import * as schema from "./schema-pg.ts"
import { failed, newToken, sameHash, sha256, ShareStore, slug, watchers, type ShareInfo } from "./store.ts"

/** A URL as it may be shown (in the server's log): without its password. */
export const withoutPassword = (url: string) => url.replace(/(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/i, "$1:***@")

export const postgresStore = (url: string): Layer.Layer<ShareStore, StoreFailed> =>
  Layer.effect(
    ShareStore,
    Effect.gen(function* () {
      const client = yield* Effect.acquireRelease(
        Effect.sync(() => postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 15 })),
        (c) => Effect.promise(() => c.end({ timeout: 5 })),
      )
      // Instances starting together take turns: the tables are made under the lock, in one transaction.
      yield* Effect.tryPromise({
        try: () =>
          client.begin(async (tx) => {
            await tx`select pg_advisory_xact_lock(${schema.MIGRATION_LOCK})`
            await tx.unsafe(schema.CREATE_TABLES)
          }),
        catch: (cause) => new StoreFailed({ problem: `${withoutPassword(url)}: ${cause instanceof Error ? cause.message : String(cause)}` }),
      })
      const watching = watchers()
      const listening = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: () => client.listen(schema.CHANGES_CHANNEL, (id) => watching.tell(id)), catch: failed }),
        (l) => Effect.promise(() => l.unlisten().catch(() => {})),
      )
      void listening
      return make(url, client, watching)
    }),
  )

type Client = ReturnType<typeof postgres>

function make(url: string, client: Client, watching: ReturnType<typeof watchers>): ShareStore["Service"] {
  const db = drizzle({ client, schema })
  const attempt = <A>(f: () => Promise<A>) => Effect.tryPromise({ try: f, catch: failed })
  const info = ({ secretHash: _, ...share }: typeof schema.share.$inferSelect): ShareInfo => share
  const find = (id: string) => db.select().from(schema.share).where(eq(schema.share.id, id)).then((rows) => rows[0])

  return ShareStore.of({
    path: withoutPassword(url),
    create: ({ sessionID, owner, createdAt, expiresAt }) =>
      attempt(async () => {
        const secret = randomUUID()
        for (;;) {
          const id = slug()
          const made = await db
            .insert(schema.share)
            .values({ id, sessionID, owner, secretHash: sha256(secret), createdAt, expiresAt })
            .onConflictDoNothing()
            .returning({ id: schema.share.id })
          if (made.length > 0) return { id, secret }
        }
      }),
    sync: (id, secret, items, now, quota) =>
      Effect.flatten(
        attempt(async (): Promise<Effect.Effect<void, ShareNotFound | WrongSecret | QuotaExceeded>> => {
          try {
            return await db.transaction(async (tx) => {
              // The share's row locked: a take-down on another instance waits, or this sync sees it.
              const [share] = await tx.select().from(schema.share).where(eq(schema.share.id, id)).for("update")
              if (!share || share.removedAt !== null || share.expiresAt <= now) return Effect.fail(new ShareNotFound({ id }))
              if (!sameHash(share.secretHash, sha256(secret))) return Effect.fail(new WrongSecret({ id }))
              // In chunks: one statement's parameters are limited (65,535).
              for (let at = 0; at < items.length; at += 1000) {
                const chunk = items.slice(at, at + 1000)
                await tx
                  .insert(schema.item)
                  .values(chunk.map((item) => ({ shareID: id, key: item.key, type: item.type, data: item.json, updatedAt: now })))
                  .onConflictDoUpdate({
                    target: [schema.item.shareID, schema.item.key],
                    set: { type: sql`excluded.type`, data: sql`excluded.data`, updatedAt: sql`excluded.updated_at` },
                  })
              }
              const [held] = await tx
                .select({ bytes: sql<string | null>`sum(octet_length(${schema.item.data}))` })
                .from(schema.item)
                .where(eq(schema.item.shareID, id))
              // Over the quota: thrown, so the transaction rolls back and nothing of this sync stays.
              if (Number(held?.bytes ?? 0) > quota) throw new QuotaExceeded({ id, limit: quota })
              // Delivered to every listening instance when this transaction commits.
              await tx.execute(sql`select pg_notify(${schema.CHANGES_CHANNEL}, ${id})`)
              return Effect.void
            })
          } catch (cause) {
            if (cause instanceof QuotaExceeded) return Effect.fail(cause)
            throw cause
          }
        }),
      ),
    purgeExpired: (now) =>
      attempt(() =>
        db.transaction(async (tx) => {
          const expired = await tx
            .update(schema.share)
            .set({ removedAt: now, removedBy: "expired" })
            .where(and(lt(schema.share.expiresAt, now), isNull(schema.share.removedAt)))
            .returning({ id: schema.share.id })
          for (const { id } of expired) {
            await tx.delete(schema.item).where(eq(schema.item.shareID, id))
            await tx.execute(sql`select pg_notify(${schema.CHANGES_CHANNEL}, ${id})`)
          }
          return expired.length
        }),
      ),
    remove: (id, secret, by) =>
      Effect.flatten(
        attempt(async (): Promise<Effect.Effect<ShareInfo, ShareNotFound | WrongSecret>> =>
          db.transaction(async (tx) => {
            const [share] = await tx.select().from(schema.share).where(eq(schema.share.id, id)).for("update")
            if (!share || share.removedAt !== null) return Effect.fail(new ShareNotFound({ id }))
            if (secret !== undefined && !sameHash(share.secretHash, sha256(secret))) return Effect.fail(new WrongSecret({ id }))
            const removedAt = Date.now()
            await tx.update(schema.share).set({ removedAt, removedBy: by }).where(eq(schema.share.id, id))
            // What was published leaves with the share: only its record stays, for the audit.
            await tx.delete(schema.item).where(eq(schema.item.shareID, id))
            await tx.execute(sql`select pg_notify(${schema.CHANGES_CHANNEL}, ${id})`)
            return Effect.succeed({ ...info(share), removedAt, removedBy: by })
          }),
        ),
      ),
    live: (id, now) =>
      Effect.flatMap(
        attempt(() => find(id)),
        (share) => (share && share.removedAt === null && share.expiresAt > now ? Effect.succeed(info(share)) : Effect.fail(new ShareNotFound({ id }))),
      ),
    items: (id) =>
      attempt(async () =>
        (
          await db
            .select({ key: schema.item.key, type: schema.item.type, json: schema.item.data })
            .from(schema.item)
            .where(eq(schema.item.shareID, id))
        ).map((row) => ({ ...row, type: row.type as KeyedItem["type"] })),
      ),
    shares: () => attempt(async () => (await db.select().from(schema.share).orderBy(desc(schema.share.createdAt))).map(info)),
    createToken: (email, by) =>
      attempt(async () => {
        const token = newToken()
        const id = `tok_${randomBytes(6).toString("hex")}`
        await db.insert(schema.memberToken).values({ id, email, hash: sha256(token), createdAt: Date.now(), createdBy: by })
        return { id, token }
      }),
    revokeToken: (id) =>
      attempt(async () => {
        const [row] = await db.select().from(schema.memberToken).where(eq(schema.memberToken.id, id))
        if (!row) return undefined
        const { hash: _, ...rest } = row
        if (row.revokedAt !== null) return rest
        const revokedAt = Date.now()
        await db.update(schema.memberToken).set({ revokedAt }).where(eq(schema.memberToken.id, id))
        return { ...rest, revokedAt }
      }),
    tokens: () =>
      attempt(() =>
        db
          .select({ id: schema.memberToken.id, email: schema.memberToken.email, createdAt: schema.memberToken.createdAt, createdBy: schema.memberToken.createdBy, revokedAt: schema.memberToken.revokedAt })
          .from(schema.memberToken)
          .orderBy(schema.memberToken.createdAt),
      ),
    member: (token) =>
      attempt(async () => {
        const [row] = await db
          .select({ email: schema.memberToken.email })
          .from(schema.memberToken)
          .where(and(eq(schema.memberToken.hash, sha256(token)), isNull(schema.memberToken.revokedAt)))
        return row?.email
      }),
    count: (member, now) =>
      attempt(async () => {
        const window = Math.floor(now / 60_000)
        // One statement: every instance counts in the same row.
        const [row] = await db
          .insert(schema.rate)
          .values({ member, window, count: 1 })
          .onConflictDoUpdate({ target: [schema.rate.member, schema.rate.window], set: { count: sql`${schema.rate.count} + 1` } })
          .returning({ count: schema.rate.count })
        await db.delete(schema.rate).where(lt(schema.rate.window, window - 1))
        return row?.count ?? 1
      }),
    record: (entry) =>
      attempt(async () => {
        await db.insert(schema.audit).values({ at: entry.at ?? Date.now(), actor: entry.actor, action: entry.action, shareID: entry.shareID, detail: entry.detail })
      }),
    audit: (limit) =>
      attempt(() =>
        db
          .select({ at: schema.audit.at, actor: schema.audit.actor, action: schema.audit.action, shareID: schema.audit.shareID, detail: schema.audit.detail })
          .from(schema.audit)
          .orderBy(desc(schema.audit.id))
          .limit(limit),
      ),
    openSession: (email, now, expiresAt) =>
      attempt(async () => {
        const token = `ocw_${randomBytes(32).toString("base64url")}`
        await db.insert(schema.webSession).values({ hash: sha256(token), email, createdAt: now, expiresAt })
        await db.delete(schema.webSession).where(lt(schema.webSession.expiresAt, now))
        return token
      }),
    sessionMember: (token, now) =>
      attempt(async () => {
        const [row] = await db.select().from(schema.webSession).where(eq(schema.webSession.hash, sha256(token)))
        return row && row.expiresAt > now ? row.email : undefined
      }),
    closeSession: (token) =>
      attempt(async () => {
        await db.delete(schema.webSession).where(eq(schema.webSession.hash, sha256(token)))
      }),
    signingKey: () =>
      attempt(async () => {
        // The first instance to ask makes it; every other reads the same.
        await db.insert(schema.meta).values({ key: "signing_key", value: randomBytes(32).toString("hex") }).onConflictDoNothing()
        const [row] = await db.select().from(schema.meta).where(eq(schema.meta.key, "signing_key"))
        return row!.value
      }),
    watch: (id, onChange) => Effect.sync(() => watching.add(id, onChange)),
  })
}
