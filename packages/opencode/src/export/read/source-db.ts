/**
 * Sessions from the runtime's SQLite database, opened read-only (no runtime
 * boot; safe while the runtime writes, WAL). An export reads inside one read
 * transaction, so it sees one consistent snapshot. Messages and parts stream
 * row by row (`statement.iterate()`), and are counted as they pass (the
 * session is read once). Plain prepared statements, not drizzle: the ORM's
 * loading and per-row mapping cost more than the queries on this path.
 */
import type { Database } from "bun:sqlite"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { RuntimeDatabase } from "../../storage/database.ts"
import { decodeMessage, decodePart, sessionFromRow, type DecodedPart } from "../../storage/decode.ts"
import type { SessionRow } from "../../storage/schema.ts"
import {
  beginRead,
  childRows,
  conversationStatements,
  endRead,
  someParts,
  partCount,
  projectWorktrees,
  rootSummaries,
  sessionRow,
  sessionSummaries,
  sessionTitles,
  todosOf,
  type SummaryRow,
} from "../../storage/session-reads.ts"
import { SessionNotFound, SourceUnavailable } from "../document/errors.ts"
import { modelNamesReader, type ModelNames } from "./model-names.ts"
import { PRESCAN_MIN_PARTS, PRESCAN_SAMPLE_PARTS, startPrescan, worthPrescanning, type Prescan } from "./prescan.ts"
import type { Screen } from "../screen/screen.ts"
import { nearestSessions, SessionSource, type ListFilter, type LoadOptions, type SessionSummary } from "./source.ts"
import { counting, type Entry, type PartNode, type SessionTree, type TreeWarning, type Versioned } from "../document/tree.ts"

const unavailable = (db: RuntimeDatabase["Service"], cause: unknown) =>
  new SourceUnavailable({
    message: `Cannot read the OpenCode database at ${db.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
  })

const toSummary = (r: SummaryRow): SessionSummary => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  directory: r.directory,
  ...(r.parentID ? { parentID: r.parentID } : {}),
  time: { created: r.timeCreated, updated: r.timeUpdated },
})

/** `SessionSource` over the database of `RuntimeDatabase`; `runtime` is the pinned runtime. */
export const databaseSource = (
  runtime: Versioned,
  /** Sessions with at least this many parts are screened ahead on another core (prescan.ts). */
  prescanMinParts: number = PRESCAN_MIN_PARTS,
): Layer.Layer<SessionSource, never, RuntimeDatabase> =>
  Layer.effect(
    SessionSource,
    Effect.gen(function* () {
      const db = yield* RuntimeDatabase
      const modelNamesFor = modelNamesReader()
      const attempt = <A>(f: () => A) => Effect.try({ try: f, catch: (cause) => unavailable(db, cause) })

      const list = (filter: ListFilter) => attempt(() => sessionSummaries(db.sqlite, filter).map(toSummary))

      const latest = (directory: string) =>
        attempt(() => {
          const projects = projectWorktrees(db.sqlite)
          const inside = (dir: string, root: string) => dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`)
          const owner = projects
            .filter((p) => p.worktree !== "/" && inside(directory, p.worktree))
            .sort((a, b) => b.worktree.length - a.worktree.length)[0]
          const rows = rootSummaries(db.sqlite, owner?.id)
          // Outside any repository the runtime files sessions under one global project: match the folder
          // (the session's, one inside it, or one it is inside).
          const match = owner
            ? rows[0]
            : rows.find((r) => inside(r.directory, directory) || inside(directory, r.directory))
          return match ? toSummary(match) : undefined
        })

      const load = (id: string, options: LoadOptions): Effect.Effect<SessionTree, SessionNotFound | SourceUnavailable, Scope.Scope> =>
        Effect.gen(function* () {
          yield* snapshot(db)
          const row = yield* attempt(() => sessionRow(db.sqlite, id))
          if (!row) {
            const all = yield* attempt(() => sessionTitles(db.sqlite))
            return yield* Effect.fail(new SessionNotFound({ id, nearest: nearestSessions(id, all), where: db.path }))
          }
          const names = modelNamesFor(row.directory)
          const prescan = options.screen ? yield* startPrescanFor(db, id, options.screen, prescanMinParts) : undefined
          return yield* attempt(() => tree(db.sqlite, row, options, names, prescan))
        })

      return SessionSource.of({ kind: "database", where: db.path, runtime, list, latest, load })
    }),
  )

/** A prescan of a big session's parts on another core, stopped with the scope (see prescan.ts). */
const startPrescanFor = (db: RuntimeDatabase["Service"], sessionID: string, checks: Screen, minParts: number) =>
  Effect.gen(function* () {
    if (partCount(db.sqlite, sessionID) < minParts) return undefined
    if (!worthPrescanning(someParts(db.sqlite, sessionID, PRESCAN_SAMPLE_PARTS), checks)) return undefined
    return yield* Effect.acquireRelease(
      Effect.sync(() => startPrescan({ path: db.path, sessionID, checks })),
      (prescan) => Effect.sync(() => prescan.stop()),
    )
  })

/** One read transaction for the whole export (ended with the scope). */
const snapshot = (db: RuntimeDatabase["Service"]) =>
  Effect.acquireRelease(
    Effect.try({ try: () => beginRead(db.sqlite), catch: (cause) => unavailable(db, cause) }),
    () =>
      Effect.sync(() => {
        try {
          endRead(db.sqlite)
        } catch {}
      }),
  )

function tree(sqlite: Database, row: SessionRow, options: LoadOptions, names: ModelNames, prescan?: Prescan): SessionTree {
  const { info, problems } = sessionFromRow(row)
  const warnings: TreeWarning[] = problems.map((problem) => ({ kind: "session", id: row.id, problem }))
  const todos = todosOf(sqlite, row.id)
  const children = options.children ? childRows(sqlite, row.id).map((child) => tree(sqlite, child, options, names)) : []
  const { entries: counted, stats } = counting(() => entries(sqlite, row.id, prescan), names)
  return { info, json: JSON.stringify(info), todos, warnings, entries: counted, stats, children }
}

/**
 * A part's node. Its JSON is read from the decoded row only when something asks (the Markdown renderer
 * rarely does); `screened` is set only when true, without an object spread per part.
 */
function partNode(part: Extract<DecodedPart, { ok: true }>, screened: boolean): PartNode {
  const node: PartNode = part.known
    ? { kind: "part", value: part.value, get json() { return part.json } }
    : { kind: "unsupported", value: part.value, get json() { return part.json } }
  return screened ? Object.assign(node, { screened: true as const }) : node
}

async function* entries(sqlite: Database, sessionID: string, prescan?: Prescan): AsyncIterable<Entry> {
  const conversation = conversationStatements(sqlite)
  try {
    for (const m of conversation.messages(sessionID)) {
      const rows = conversation.parts(m.id)
      const message = decodeMessage(m.id, sessionID, m.data)
      if (!message.ok) {
        yield { kind: "warning", warning: { kind: "message", id: m.id, problem: message.problem, raw: m.data } }
        continue
      }
      // Parts the prescan cleared, if it saw exactly these parts.
      const verdict = prescan ? await prescan.verdict(m.id) : undefined
      let chars = 0
      for (const p of rows) chars += p.data.length
      const cleared = verdict && verdict.parts === rows.length && verdict.chars === chars ? new Set(verdict.dirty) : undefined
      const nodes: PartNode[] = []
      const problems: TreeWarning[] = []
      for (const p of rows) {
        const part = decodePart(p.id, m.id, sessionID, p.data)
        if (!part.ok) {
          problems.push({ kind: "part", id: p.id, messageID: m.id, problem: part.problem, raw: p.data })
          continue
        }
        nodes.push(partNode(part, cleared !== undefined && part.spliced && !cleared.has(p.id)))
      }
      yield { kind: "message", message: { info: message.value, json: message.json, parts: nodes } }
      for (const warning of problems) yield { kind: "warning", warning }
    }
  } finally {
    conversation.finalize()
  }
}
