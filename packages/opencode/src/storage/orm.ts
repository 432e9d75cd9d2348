/**
 * drizzle over the runtime's database, for the code where a typed query
 * reads better than SQL and speed does not matter (share, server lists,
 * import checks). Built on first use per connection: the export's read path
 * (plain prepared statements, export/source-db.ts) never loads the ORM,
 * which cost about 15 ms of every export's start-up.
 */
import type { Database } from "bun:sqlite"
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite"
import * as schema from "./schema.ts"

export type RuntimeDb = BunSQLiteDatabase<typeof schema>

const built = new WeakMap<Database, RuntimeDb>()

export function ormOf(handle: { readonly sqlite: Database }): RuntimeDb {
  let db = built.get(handle.sqlite)
  if (!db) {
    db = drizzle({ client: handle.sqlite, schema })
    built.set(handle.sqlite, db)
  }
  return db
}
