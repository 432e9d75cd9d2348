import { Database } from "bun:sqlite"
import { existsSync } from "node:fs"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { DatabaseMissing, DatabaseUnreadable } from "./errors.ts"
import { databaseFile, runtimeDataDir } from "./paths.ts"

/**
 * The runtime's SQLite database, opened read-only: the overlay never migrates
 * or writes it. The runtime keeps it in WAL mode, so a read-only reader sees a
 * consistent snapshot while the runtime goes on writing. Queries go through
 * the raw connection; code that wants drizzle builds it with `ormOf`
 * (storage/orm.ts), so an export never loads the ORM.
 */
export class RuntimeDatabase extends Context.Service<
  RuntimeDatabase,
  {
    readonly path: string
    readonly sqlite: Database
  }
>()("overlay/RuntimeDatabase") {
  /** Opens `<dataDir>/opencode.db`; `dataDir` defaults to `$XDG_DATA_HOME/opencode`. */
  static readonly layer = (dataDir?: string): Layer.Layer<RuntimeDatabase, DatabaseMissing | DatabaseUnreadable> =>
    Layer.effect(RuntimeDatabase, openReadOnly(databaseFile(dataDir ?? runtimeDataDir())))
}

type Handle = RuntimeDatabase["Service"]

export const openReadOnly = (path: string) =>
  Effect.acquireRelease(
    Effect.suspend((): Effect.Effect<Handle, DatabaseMissing | DatabaseUnreadable> => {
      if (!existsSync(path))
        return Effect.fail(
          new DatabaseMissing({
            path,
            message: `No OpenCode database at ${path}. Run opencode once in this home, or point --data-dir at the folder holding opencode.db.`,
          }),
        )
      return Effect.try({
        try: () => {
          const sqlite = new Database(path, { readonly: true })
          // Fails here, not later, when the file is not a database.
          sqlite.query("select count(*) from session").get()
          return RuntimeDatabase.of({ path, sqlite })
        },
        catch: (cause) =>
          new DatabaseUnreadable({ path, message: `Cannot read the OpenCode database at ${path}: ${String(cause)}` }),
      })
    }),
    (handle) => Effect.sync(() => handle.sqlite.close()),
  )
