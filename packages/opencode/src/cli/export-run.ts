/**
 * What `opencode export` does once its arguments are checked: choose the
 * session(s), export, and say what happened. stdout carries the written
 * paths only (or the export itself with --stdout); everything else goes to
 * stderr. Exit codes: 0 done, 1 not found, 2 usage, 3 write refused/failed.
 */
import { statSync } from "node:fs"
import { homedir } from "node:os"
import { join, resolve, sep } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import { NoSessions, WriteFailed, type OutputExists, type SessionNotFound, type SourceUnavailable } from "../export/document/errors.ts"
import { isoLocal, plural } from "../export/document/format.ts"
import { batchFileNames, defaultFileName, outputPath } from "../export/write/naming.ts"
import { exportSettings, FORMAT_NAMES, type ExportSettings } from "../export/document/choices.ts"
import { SessionExport, sessionExportFrom, type ExportResult } from "../export/service.ts"
import { databaseSource } from "../export/read/source-db.ts"
import type { SessionSource } from "../export/read/source.ts"
import { openReadOnly, RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import { reportError } from "../program/report.ts"
import { UsageError } from "../errors/usage.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import type { ExportArgs } from "./export-args.ts"
import { progressBar } from "./export-progress.ts"
import { RUNTIME_PACKAGE } from "../version.ts"

const say = (text: string) => process.stderr.write(`${text}\n`)

/** `--data-dir` names the folder holding opencode.db; the file itself is accepted too. */
function databaseLayer(dataDir: string | undefined): Layer.Layer<RuntimeDatabase, DatabaseMissing | DatabaseUnreadable> {
  if (dataDir !== undefined) {
    const path = resolve(dataDir)
    try {
      if (statSync(path).isFile()) return Layer.effect(RuntimeDatabase, openReadOnly(path))
    } catch {}
    return RuntimeDatabase.layer(path)
  }
  return RuntimeDatabase.layer()
}


const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function describe(result: ExportResult, args: ExportArgs): string {
  const t = result.totals
  const subagents = t.sessions - 1
  const what = [plural(t.messages, "message"), ...(subagents > 0 ? [plural(subagents, "subagent session")] : [])].join(", ")
  const lines = [
    `Exported ${JSON.stringify(result.session.title)} (${result.session.id}): ${what}, as ${FORMAT_NAMES[args.format]}${args.redact ? ", secrets redacted" : ""}.`,
  ]
  if (result.warnings > 0)
    lines.push(`${plural(result.warnings, "row")} could not be read; the export lists ${result.warnings === 1 ? "it" : "them"} as warnings.`)
  if (!args.redact) lines.push("Not redacted (--no-redact): the export may hold secrets and your home directory. Check before sharing it.")
  return lines.join("\n")
}

const single = (args: ExportArgs, settings: ExportSettings) =>
  Effect.gen(function* () {
    const svc = yield* SessionExport
    const cwd = process.cwd()
    let id = args.sessionID
    if (id === undefined && args.last) {
      const latest = yield* svc.latest(cwd)
      if (!latest)
        return yield* Effect.fail(
          new NoSessions({ message: `No session of the project in ${cwd} in ${svc.source.where}. Pass a session id (opencode session list), or run from the project's folder.` }),
        )
      id = latest.id
    }
    if (id === undefined) {
      if (!process.stdin.isTTY || !process.stderr.isTTY)
        return yield* Effect.fail(
          new UsageError({
            message: "no session given. Pass a session id (list them with 'opencode session list'), --last for the latest session of this project, or --all for every session",
            hint: "opencode export --help",
          }),
        )
      // Loaded only here: readline costs every other export ~5 ms of start-up.
      const { pickSession, PICKER_SIZE } = yield* Effect.promise(() => import("./export-picker.ts"))
      const sessions = yield* svc.list({ roots: true, limit: PICKER_SIZE + 1 })
      if (sessions.length === 0) return yield* Effect.fail(new NoSessions({ message: `There are no sessions in ${svc.source.where}.` }))
      const chosen = yield* Effect.promise(() =>
        pickSession(sessions.slice(0, PICKER_SIZE), { home: process.env.HOME || homedir(), more: sessions.length > PICKER_SIZE }),
      )
      if (chosen === undefined) return yield* Effect.fail(new NoSessions({ message: "No session chosen; nothing was exported." }))
      id = chosen
    }
    const output = args.output
    const outputIsDir = output !== undefined && (output.endsWith("/") || output.endsWith(sep) || isDirectory(resolve(cwd, output)))
    const result = yield* svc.export(
      id,
      settings,
      args.stdout
        ? { kind: "stdout" }
        : {
            kind: "file",
            force: args.force,
            path: (session) =>
              outputPath({ ...(output !== undefined ? { output } : {}), outputIsDir, cwd, defaultName: defaultFileName(session, args.format) }),
          },
    )
    if (result.path !== undefined) process.stdout.write(`${result.path}\n`)
    say(describe(result, args))
    return ExitCode.ok as number
  })

type Failure = SessionNotFound | SourceUnavailable | OutputExists | WriteFailed | NoSessions

const all = (args: ExportArgs, settings: ExportSettings) =>
  Effect.gen(function* () {
    const svc = yield* SessionExport
    const dir = resolve(process.cwd(), args.output ?? ".")
    try {
      if (!statSync(dir).isDirectory())
        return yield* Effect.fail(new UsageError({ message: `with --all, -o names a folder; ${dir} is a file`, hint: "opencode export --help" }))
    } catch {
      return yield* new WriteFailed({ path: dir, reason: "the folder does not exist (create it first)" })
    }
    const sessions = yield* svc.list({ roots: true, ...(args.since !== undefined ? { since: args.since } : {}) })
    if (sessions.length === 0) {
      const since = args.since !== undefined ? ` updated since ${isoLocal(args.since)}` : ""
      return yield* Effect.fail(new NoSessions({ message: `There are no sessions${since} in ${svc.source.where}; nothing was written.` }))
    }
    const names = batchFileNames(sessions, args.format)
    const progress = progressBar(sessions.length)
    const refused: string[] = []
    const failed: Array<{ readonly id: string; readonly message: string }> = []
    let written = 0
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!
      progress.update(i, s.title)
      const result = yield* Effect.result(svc.export(s.id, settings, { kind: "file", path: join(dir, names[i]!), force: args.force }))
      if (Result.isSuccess(result)) {
        written++
        if (result.success.path !== undefined) process.stdout.write(`${result.success.path}\n`)
        continue
      }
      const error: Failure = result.failure
      if (error._tag === "OutputExists") refused.push(error.path)
      else failed.push({ id: s.id, message: error.message })
    }
    progress.finish()
    say(`Exported ${written} of ${plural(sessions.length, "session")} to ${dir}${args.redact ? ", secrets redacted" : ""}.`)
    if (refused.length > 0) {
      say(`${plural(refused.length, "file")} already existed and ${refused.length === 1 ? "was" : "were"} left as ${refused.length === 1 ? "it was" : "they were"} (pass --force to replace):`)
      for (const path of refused) say(`  ${path}`)
    }
    for (const f of failed) say(`Failed ${f.id}: ${f.message}`)
    if (!args.redact) say("Not redacted (--no-redact): the exports may hold secrets and your home directory.")
    return refused.length + failed.length > 0 ? ExitCode.writeFailed : ExitCode.ok
  })

export const runExport = (args: ExportArgs, runtimeVersion: string): Effect.Effect<number> => {
  const runtime = { name: RUNTIME_PACKAGE, version: runtimeVersion }
  const attach = args.attach
  const source: Layer.Layer<SessionSource, SourceUnavailable | DatabaseMissing | DatabaseUnreadable> = attach
    ? // Loaded only with --attach: the SDK client costs a database export ~8 ms of start-up.
      Layer.unwrap(Effect.promise(() => import("../export/read/source-attach.ts")).pipe(Effect.map((m) => m.attachSource(attach))))
    : databaseSource(runtime).pipe(Layer.provide(databaseLayer(args.dataDir)))
  const layer = sessionExportFrom(source)
  const settings: ExportSettings = exportSettings(args)
  const program: Effect.Effect<number, Failure | UsageError | DatabaseMissing | DatabaseUnreadable, SessionExport> = args.all
    ? all(args, settings)
    : single(args, settings)
  return program.pipe(
    Effect.provide(layer),
    Effect.catch((error) =>
      reportError(
        "opencode export",
        error,
        error._tag === "SessionNotFound" && !args.attach ? `${error.message} List sessions with 'opencode session list'.` : error.message,
      ),
    ),
  )
}
