import { desc, eq, isNotNull, or } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "../storage/database.ts"
import { ormOf } from "../storage/orm.ts"
import { session, sessionShare } from "../storage/schema.ts"

export type Published = {
  readonly sessionID: string
  readonly title: string
  readonly directory: string
  readonly url: string
  /**
   * `live`: the runtime holds the share record (id and secret), so the public
   * copy exists and can be revoked from here. `link-only`: the session still
   * carries a link but no share record: revoked already (the runtime keeps
   * the old link), or published from another machine.
   */
  readonly state: "live" | "link-only"
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
  return rows.map(
    (r): Published => ({
      sessionID: r.sessionID,
      title: r.title,
      directory: r.directory,
      url: r.recordURL ?? r.shareURL ?? "",
      state: r.recordURL ? "live" : "link-only",
      ...(r.sharedAt ? { sharedAt: r.sharedAt } : {}),
    }),
  )
})
