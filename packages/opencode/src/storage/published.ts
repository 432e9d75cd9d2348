/**
 * Sessions published before, as the runtime's database tells it, and the one
 * rule for what a session's links say (`publicationOf`), used for the list of
 * `opencode share status` and for the server's session list alike.
 */
import { desc, eq, isNotNull, or } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { session, sessionShare } from "./schema.ts"

export type Publication = {
  readonly url: string
  /**
   * `live`: the runtime holds the share record (id and secret), so the public
   * copy exists and can be revoked from here. `link-only`: the session still
   * carries a link but no share record: revoked already (the runtime keeps
   * the old link), or published from another machine.
   */
  readonly state: "live" | "link-only"
}

/** What a session's share record (`session_share.url`) and its own link (`session.share_url`) say. */
export const publicationOf = (row: { readonly recordURL: string | null; readonly shareURL: string | null }): Publication | null =>
  row.recordURL ? { url: row.recordURL, state: "live" } : row.shareURL ? { url: row.shareURL, state: "link-only" } : null

export type Published = Publication & {
  readonly sessionID: string
  readonly title: string
  readonly directory: string
  readonly sharedAt?: number
}

/** Sessions that were published before, newest first, from the runtime's database. */
export const listPublished: Effect.Effect<ReadonlyArray<Published>, never, RuntimeDatabase> = Effect.gen(function* () {
  const db = ormOf(yield* RuntimeDatabase)
  const rows = db
    .select({
      sessionID: session.id,
      title: session.title,
      directory: session.directory,
      shareURL: session.shareURL,
      recordURL: sessionShare.url,
      sharedAt: sessionShare.timeCreated,
      updated: session.timeUpdated,
    })
    .from(session)
    .leftJoin(sessionShare, eq(sessionShare.sessionID, session.id))
    .where(or(isNotNull(session.shareURL), isNotNull(sessionShare.sessionID)))
    .orderBy(desc(session.timeUpdated), session.id)
    .all()
  return rows.flatMap((r): Published[] => {
    const publication = publicationOf(r)
    if (!publication) return []
    return [{ sessionID: r.sessionID, title: r.title, directory: r.directory, ...publication, ...(r.sharedAt ? { sharedAt: r.sharedAt } : {}) }]
  })
})

/** The session a publication is about, or `undefined`. */
export const sessionForPublishing = (sessionID: string) =>
  Effect.gen(function* () {
    const db = ormOf(yield* RuntimeDatabase)
    return db.select({ id: session.id, directory: session.directory, title: session.title }).from(session).where(eq(session.id, sessionID)).get()
  })
