/** What this runtime's database already holds of the sessions in a file given to `opencode import` (read-only). */
import { inArray } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { message, part, session } from "./schema.ts"

export type StoredSession = {
  readonly id: string
  readonly slug: string
  readonly created: number
}

export type StoredState = {
  readonly sessions: ReadonlyMap<string, StoredSession>
  /** The session each of the file's message and part ids already belongs to here, where one does. */
  readonly owners: ReadonlyMap<string, string>
}

/** SQLite takes a bounded number of parameters per statement: ids are asked about in batches. */
const BATCH = 500
const batches = <T>(items: ReadonlyArray<T>) => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH))

export const storedState = (file: {
  readonly sessionIDs: ReadonlyArray<string>
  readonly messageIDs: ReadonlyArray<string>
  readonly partIDs: ReadonlyArray<string>
}): Effect.Effect<StoredState, never, RuntimeDatabase> =>
  Effect.gen(function* () {
    const db = ormOf(yield* RuntimeDatabase)
    const rows = batches(file.sessionIDs).flatMap((ids) =>
      db.select({ id: session.id, slug: session.slug, created: session.timeCreated }).from(session).where(inArray(session.id, ids)).all(),
    )
    const messages = batches(file.messageIDs).flatMap((ids) =>
      db.select({ id: message.id, sessionID: message.sessionID }).from(message).where(inArray(message.id, ids)).all(),
    )
    const parts = batches(file.partIDs).flatMap((ids) => db.select({ id: part.id, sessionID: part.sessionID }).from(part).where(inArray(part.id, ids)).all())
    return { sessions: new Map(rows.map((r) => [r.id, r] as const)), owners: new Map([...messages, ...parts].map((r) => [r.id, r.sessionID] as const)) }
  })
