/**
 * The search index as a service: opened (made, or rebuilt when it cannot be
 * trusted) for the life of its scope, brought up to the runtime's database
 * before a search, closed at the end.
 */
import type { Database } from "bun:sqlite"
import { join } from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createSanitizer } from "../export/screen/sanitize.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import { overlayDataDir } from "../storage/paths.ts"
import { IndexFailed } from "./errors.ts"
import { openIndex } from "./index-file.ts"
import { hitJson, type SearchAnswer, type SearchRequest } from "./request.ts"
import { search, type Hit, type SearchFilters } from "./search.ts"
import { withSnippets } from "./snippets.ts"
import { updateIndex, type Progress, type UpdateReport } from "./update.ts"

/** Where the index lives: `$XDG_DATA_HOME/opencode-local-overlay/history.db`. */
export const indexPath = (env: NodeJS.ProcessEnv = process.env) => join(overlayDataDir(env), "history.db")

export class HistoryIndex extends Context.Service<
  HistoryIndex,
  {
    readonly path: string
    /** Why the index started empty this time, if it did. */
    readonly rebuilt: string | undefined
    readonly update: (options: { readonly home?: string; readonly onProgress?: Progress }) => Effect.Effect<UpdateReport, IndexFailed, RuntimeDatabase>
    /** Hits with their snippets, made from the runtime's database (the index keeps no texts). */
    readonly search: (
      match: string,
      filters: SearchFilters,
      options?: { readonly home?: string },
    ) => Effect.Effect<ReadonlyArray<Hit>, IndexFailed, RuntimeDatabase>
  }
>()("overlay/HistoryIndex") {
  static readonly layer = (path: string, options: { readonly rebuild?: boolean } = {}): Layer.Layer<HistoryIndex, IndexFailed> =>
    Layer.effect(
      HistoryIndex,
      Effect.map(
        Effect.acquireRelease(
          Effect.try({ try: () => openIndex(path, options), catch: (cause) => failed(path, cause) }),
          (opened) => Effect.sync(() => opened.db.close()),
        ),
        (opened) => make(path, opened.db, opened.rebuilt),
      ),
    )
}

function make(path: string, db: Database, rebuilt: string | undefined): HistoryIndex["Service"] {
  return HistoryIndex.of({
    path,
    rebuilt,
    update: (options) =>
      Effect.gen(function* () {
        const runtime = yield* RuntimeDatabase
        return yield* Effect.tryPromise({ try: () => updateIndex(db, runtime.sqlite, options), catch: (cause) => failed(path, cause) })
      }),
    search: (match, filters, options = {}) =>
      Effect.gen(function* () {
        const runtime = yield* RuntimeDatabase
        const found = search(db, match, filters)
        const sanitizer = createSanitizer({ redact: true, home: options.home })
        return yield* Effect.tryPromise({
          try: () => withSnippets(db, runtime.sqlite, sanitizer, match, found),
          catch: (cause) => failed(path, cause, "could not show its hits"),
        })
      }),
  })
}

const failed = (path: string, cause: unknown, what = "cannot be written") =>
  new IndexFailed({ path, message: `The search index at ${path} ${what}: ${cause instanceof Error ? cause.message : String(cause)}` })

/**
 * What the server answers a search with: the index brought up to the
 * database, then searched. A home without a database yet has no hits.
 */
export const searchHistory = (
  request: SearchRequest,
  database: Layer.Layer<RuntimeDatabase, DatabaseMissing | DatabaseUnreadable>,
  home: string | undefined = process.env.HOME,
): Effect.Effect<SearchAnswer, IndexFailed | DatabaseUnreadable> =>
  Effect.gen(function* () {
    const index = yield* HistoryIndex
    yield* index.update({ ...(home ? { home } : {}) })
    const hits = yield* index.search(request.match, request.filters, home ? { home } : {})
    return { query: request.query, hits: hits.map(hitJson) } satisfies SearchAnswer
  }).pipe(
    Effect.provide(Layer.mergeAll(HistoryIndex.layer(indexPath()), database)),
    Effect.scoped,
    Effect.catchTag("DatabaseMissing", () => Effect.succeed<SearchAnswer>({ query: request.query, hits: [] })),
  )
