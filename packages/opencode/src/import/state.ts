/** What this runtime's database already holds of the sessions in a file (read-only). */
import { inArray } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "../storage/database.ts"
import { ormOf } from "../storage/orm.ts"
import { message, session } from "../storage/schema.ts"

export type StoredSession = {
  readonly id: string
  readonly slug: string
  readonly created: number
  readonly messageIDs: ReadonlySet<string>
}

export const storedSessions = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlyMap<string, StoredSession>, never, RuntimeDatabase> =>
  Effect.gen(function* () {
    const db = ormOf(yield* RuntimeDatabase)
    const rows = db
      .select({ id: session.id, slug: session.slug, created: session.timeCreated })
      .from(session)
      .where(inArray(session.id, [...ids]))
      .all()
    const messages = db
      .select({ id: message.id, sessionID: message.sessionID })
      .from(message)
      .where(inArray(message.sessionID, rows.map((r) => r.id)))
      .all()
    return new Map(
      rows.map((r) => [r.id, { ...r, messageIDs: new Set(messages.filter((m) => m.sessionID === r.id).map((m) => m.id)) }] as const),
    )
  })
