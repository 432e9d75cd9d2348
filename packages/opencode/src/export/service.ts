/**
 * The export service: a session from the source, sanitized, rendered, and
 * written atomically (or streamed to stdout).
 */
import type { Session } from "@opencode-ai/sdk/v2"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { OVERLAY_NAME, OVERLAY_VERSION } from "../version.ts"
import type { ExportSettings } from "./document/choices.ts"
import type { ExportError, SourceUnavailable } from "./document/errors.ts"
import type { ReadableOptions } from "./document/choices.ts"
import { createSanitizer } from "./screen/sanitize.ts"
import { screenFor } from "./screen/screen.ts"
import { visiblePart } from "./render/visible.ts"
import { SessionSource, type ListFilter, type SessionSummary } from "./read/source.ts"
import { treeStats, type Entry, type ExportDocument, type SessionStats, type SessionTree, type Versioned } from "./document/tree.ts"
import { databaseSource } from "./read/source-db.ts"
import type { RuntimeDatabase } from "../storage/database.ts"
import { ExportWriter } from "./write/writer.ts"

export type ExportTarget =
  | {
      readonly kind: "file"
      /** The file, or how to name it once the session is known (its slug and time). */
      readonly path: string | ((session: Session) => string)
      readonly force: boolean
    }
  | { readonly kind: "stdout" }

export type ExportResult = {
  readonly session: { readonly id: string; readonly title: string }
  /** The file written; undefined for stdout. */
  readonly path?: string
  readonly bytes: number
  readonly totals: SessionStats & { readonly sessions: number }
  /** Rows that could not be read (listed in the export). */
  readonly warnings: number
}

export class SessionExport extends Context.Service<
  SessionExport,
  {
    readonly source: SessionSource["Service"]
    readonly list: (filter: ListFilter) => Effect.Effect<ReadonlyArray<SessionSummary>, SourceUnavailable>
    readonly latest: (directory: string) => Effect.Effect<SessionSummary | undefined, SourceUnavailable>
    readonly export: (id: string, settings: ExportSettings, target: ExportTarget) => Effect.Effect<ExportResult, ExportError>
  }
>()("overlay/SessionExport") {
  static readonly layer: Layer.Layer<SessionExport, never, SessionSource | ExportWriter> = Layer.effect(
    SessionExport,
    Effect.gen(function* () {
      const source = yield* SessionSource
      const writer = yield* ExportWriter
      const run = (id: string, settings: ExportSettings, target: ExportTarget) =>
        Effect.scoped(
          Effect.gen(function* () {
            const visible = settings.format === "json" ? undefined : visiblePart(settings.markdown)
            // Screening ahead on another core pays only when whole parts are screened for secrets: without tool
            // details the readable formats screen a small part of each row, and without redaction the screen is
            // cheap; in both the worker's reading slowed the export down.
            const whole = settings.redact && (!visible || settings.markdown.toolDetails)
            const screen = screenFor(settings.redact, settings.home)
            const tree = yield* source.load(id, { children: settings.children, ...(whole ? { screen } : {}) })
            const sanitizer = createSanitizer({ redact: settings.redact, home: settings.home, ...(visible ? { visible } : {}) })
            const counter = { warnings: 0 }
            const clean = counted(yield* Effect.promise(() => sanitizer.tree(tree)), counter)
            const doc: ExportDocument = {
              tree: clean,
              runtime: source.runtime,
              overlay: { name: OVERLAY_NAME, version: OVERLAY_VERSION },
              exportedAt: settings.exportedAt,
              redaction: sanitizer.redaction,
              source: source.kind,
            }
            const rendered = yield* Effect.promise(() => render(settings.format, doc, settings.markdown))
            const written =
              target.kind === "file"
                ? yield* writer.write(
                    typeof target.path === "string" ? target.path : target.path(tree.info),
                    rendered.body,
                    { force: target.force, ...(rendered.header ? { header: rendered.header } : {}) },
                  )
                : { bytes: yield* writer.stdout(rendered.body, rendered.header) }
            return {
              session: { id: tree.info.id, title: tree.info.title },
              ...("path" in written ? { path: written.path } : {}),
              bytes: written.bytes,
              totals: treeStats(tree),
              warnings: counter.warnings,
            } satisfies ExportResult
          }),
        )
      return SessionExport.of({ source, list: source.list, latest: source.latest, export: run })
    }),
  )
}

type Rendered = { readonly body: AsyncIterable<string>; readonly header: (() => string) | undefined }

/**
 * The format's renderer, loaded with it: HTML's Markdown parser alone took about 25 ms of every export's
 * start-up. Markdown's header counts what its body showed, so it is written after the body but placed before it.
 */
const render = (format: ExportSettings["format"], doc: ExportDocument, options: ReadableOptions): Promise<Rendered> =>
  format === "markdown"
    ? import("./render/markdown.ts").then((m) => m.renderMarkdown(doc, options))
    : format === "html"
      ? import("./render/html.ts").then((m) => m.renderHtml(doc, options))
      : import("./render/json.ts").then((m) => ({ body: m.renderJson(doc), header: undefined }))

/** The same tree, counting the warnings that pass by while it is rendered. */
function counted(tree: SessionTree, counter: { warnings: number }): SessionTree {
  counter.warnings += tree.warnings.length
  return {
    ...tree,
    children: tree.children.map((c) => counted(c, counter)),
    entries: async function* (): AsyncIterable<Entry> {
      for await (const entry of tree.entries()) {
        if (entry.kind === "warning") counter.warnings++
        yield entry
      }
    },
  }
}

/**
 * The export from a source with the atomic writer: what `opencode export`
 * runs (over the database or `--attach`) and what the server's export route
 * runs (over the database), so the two write the same bytes.
 */
export const sessionExportFrom = <E>(source: Layer.Layer<SessionSource, E>): Layer.Layer<SessionExport, E> =>
  SessionExport.layer.pipe(Layer.provide(Layer.merge(source, ExportWriter.layer)))

/** The export over the runtime's database (`database`: its read-only handle), for the pinned runtime `runtime`. */
export const databaseExport = <E>(runtime: Versioned, database: Layer.Layer<RuntimeDatabase, E>): Layer.Layer<SessionExport, E> =>
  sessionExportFrom(databaseSource(runtime).pipe(Layer.provide(database)))
