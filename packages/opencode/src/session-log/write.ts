/**
 * Bringing a project's session logs up to date: each root session of the
 * project whose log is missing or older than the session (its subagent
 * sessions included) is exported again as the export's Markdown, redacted,
 * under the export's file name, atomically (a log is never half a file).
 *
 * A log's modification time is set to the session's last update as read
 * before the export, so a change made while it was being written still
 * counts as newer next time; a log is rewritten only when its session moved.
 */
import { mkdirSync, readFileSync, realpathSync, statSync, utimesSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { EXPORT_DEFAULTS, exportSettings } from "../export/document/choices.ts"
import type { SourceUnavailable } from "../export/document/errors.ts"
import type { SessionSummary } from "../export/read/source.ts"
import { SessionExport } from "../export/service.ts"
import { ExportWriter } from "../export/write/writer.ts"
import { batchFileNames } from "../export/write/naming.ts"
import { LogFolderUnwritable } from "./errors.ts"
import { gitignoreText, isOurGitignore } from "./gitignore.ts"
import { within, type SessionLogSettings } from "./settings.ts"

export type LogOptions = {
  /** Only the log of this session's root session. */
  readonly session?: string
  /** Rewrite every log of the project, up to date or not. */
  readonly rewrite?: boolean
  readonly env?: Readonly<Record<string, string | undefined>>
}

export type LogReport = {
  readonly folder: string
  /** Logs written, with their sessions. */
  readonly written: ReadonlyArray<{ readonly path: string; readonly sessionID: string; readonly title: string }>
  /** Logs that were already up to date. */
  readonly upToDate: number
  readonly failed: ReadonlyArray<{ readonly sessionID: string; readonly message: string }>
}

/** Each root session of the project, with the last update of its whole tree (ms). */
export function projectRoots(sessions: ReadonlyArray<SessionSummary>, project: string): ReadonlyArray<{ readonly root: SessionSummary; readonly updated: number }> {
  const byID = new Map(sessions.map((s) => [s.id, s]))
  const rootOf = (s: SessionSummary): SessionSummary => {
    let at = s
    for (let hops = 0; at.parentID !== undefined && hops < 1000; hops++) {
      const parent = byID.get(at.parentID)
      if (!parent) break
      at = parent
    }
    return at
  }
  const updated = new Map<string, number>()
  for (const s of sessions) {
    const root = rootOf(s)
    if (!within(project, root.directory)) continue
    updated.set(root.id, Math.max(updated.get(root.id) ?? 0, s.time.updated, s.time.created))
  }
  return [...updated].map(([id, time]) => ({ root: byID.get(id)!, updated: time })).toSorted((a, b) => a.root.time.created - b.root.time.created)
}

function modified(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** The folder and its .gitignore; a .gitignore the project wrote itself is left as it is. */
const prepareFolder = (settings: SessionLogSettings) =>
  Effect.gen(function* () {
    const writer = yield* ExportWriter
    const real = yield* Effect.try({
      try: () => {
        mkdirSync(settings.folder, { recursive: true })
        return { project: realpathSync(settings.project), folder: realpathSync(settings.folder) }
      },
      catch: (cause) => new LogFolderUnwritable({ folder: settings.folder, reason: (cause as Error).message }),
    })
    // A link committed in the project (.opencode/history -> ~/somewhere) must not send the logs out of it.
    if (!within(real.project, real.folder) || real.folder === real.project)
      return yield* new LogFolderUnwritable({ folder: settings.folder, reason: `it leads out of the project, to ${real.folder}` })
    const path = join(settings.folder, ".gitignore")
    let current: string | undefined
    try {
      current = readFileSync(path, "utf8")
    } catch {}
    const wanted = gitignoreText(settings)
    if (current === wanted || (current !== undefined && !isOurGitignore(current))) return
    yield* writer
      .write(path, (async function* () { yield wanted })(), { force: true })
      .pipe(Effect.mapError((e) => new LogFolderUnwritable({ folder: settings.folder, reason: e.message })))
  })

export const writeSessionLogs = (
  settings: SessionLogSettings,
  options: LogOptions = {},
): Effect.Effect<LogReport, LogFolderUnwritable | SourceUnavailable, SessionExport | ExportWriter> =>
  Effect.gen(function* () {
    const svc = yield* SessionExport
    yield* prepareFolder(settings)
    const sessions = yield* svc.list({ roots: false })
    const all = projectRoots(sessions, settings.project)
    // Names over every root of the project, so that a log keeps its name whichever sessions are asked for.
    const names = batchFileNames(
      all.map(({ root }) => root),
      "markdown",
    )
    const wanted = options.session === undefined ? undefined : sessions.find((s) => s.id === options.session)
    const chosen = all
      .map((entry, i) => ({ ...entry, name: names[i]! }))
      .filter(({ root }) => options.session === undefined || (wanted !== undefined && isInTree(sessions, root.id, wanted)))
    const exportAs = exportSettings({ ...EXPORT_DEFAULTS, redact: true, children: true }, options.env ?? process.env)
    const written: Array<LogReport["written"][number]> = []
    const failed: Array<LogReport["failed"][number]> = []
    let upToDate = 0
    for (const { root, updated, name } of chosen) {
      const path = join(settings.folder, name)
      const mtime = modified(path)
      if (!options.rewrite && mtime !== undefined && mtime >= updated) {
        upToDate++
        continue
      }
      const result = yield* Effect.result(svc.export(root.id, exportAs, { kind: "file", path, force: true }))
      if (result._tag === "Failure") {
        failed.push({ sessionID: root.id, message: result.failure.message })
        continue
      }
      // Set to the update read above: a change made meanwhile is newer than the log.
      try {
        utimesSync(path, new Date(), new Date(updated))
      } catch {}
      written.push({ path, sessionID: root.id, title: result.success.session.title })
    }
    return { folder: settings.folder, written, upToDate, failed }
  })

/** `session` is `rootID` or one of its subagent sessions. */
function isInTree(sessions: ReadonlyArray<SessionSummary>, rootID: string, session: SessionSummary): boolean {
  const byID = new Map(sessions.map((s) => [s.id, s]))
  let at: SessionSummary | undefined = session
  for (let hops = 0; at !== undefined && hops < 1000; hops++) {
    if (at.id === rootID) return true
    at = at.parentID === undefined ? undefined : byID.get(at.parentID)
  }
  return false
}
