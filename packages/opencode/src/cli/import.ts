/**
 * `opencode import <file>`: continues a session elsewhere. Takes the overlay's
 * JSON export (the session with its subagent sessions) or the runtime's own
 * export, checks the whole file and this machine's database first, then has
 * the runtime import each session (its own `opencode import`, in the project
 * of the current folder, with the share guard applied). A share URL goes to
 * the runtime's import unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import cac from "cac"
import * as Effect from "effect/Effect"
import { ShareConfig } from "../config/service.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { UsageError } from "../errors/usage.ts"
import { ImportConflict, ImportInvalid } from "../import/errors.ts"
import { planImport } from "../import/plan.ts"
import { readImportFile, type ImportSession } from "../import/read.ts"
import { storedSessions, type StoredSession } from "../import/state.ts"
import { parseAndRun } from "../program/args.ts"
import type { CommandRun } from "../program/command.ts"
import { reportError } from "../program/report.ts"
import { runRuntimeCommand } from "../runtime/command.ts"
import { RuntimeCommandFailed, type RuntimeSpawnFailed } from "../runtime/errors.ts"
import type { Runtime } from "../runtime/service.ts"
import { contentProblemMessage, launchEnvironment } from "../share/launch-env.ts"
import { RuntimeDatabase } from "../storage/database.ts"

const say = (text: string) => process.stderr.write(`${text}\n`)
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`

function program() {
  const cli = cac("opencode import")
  cli
    .command("<file>", "Import a session, with its subagent sessions, from a JSON export")
    .usage(
      "<file>\n\n" +
        "  Recreates the session of an export in the project of the current folder, so that the TUI\n" +
        "  can open it and go on (opencode --session <id>). Reads the overlay's JSON export\n" +
        "  (opencode export <id> --format json: the session and its subagent sessions) or the runtime's\n" +
        "  own export; a share URL is passed to the runtime's import. The whole file is checked before\n" +
        "  anything is written. Importing the same file again changes nothing; an id that belongs to\n" +
        "  another session here is refused. A redacted export keeps its [REDACTED:…] placeholders.",
    )
    .action((file: string) => Effect.succeed(file))
  cli.help((sections) => [
    ...sections.filter((s) => s.title !== "Commands" && !s.title?.startsWith("For more info")),
    {
      title: "Exit codes",
      body: [
        `  ${ExitCode.ok}  imported, or already here`,
        `  ${ExitCode.usage}  bad usage, or a file that is not a JSON export (Markdown, HTML, truncated, another format version)`,
        `  ${ExitCode.writeFailed}  an id in the file belongs to another session here; nothing was imported`,
        `  ${ExitCode.runtimeFailed}  the runtime's import failed; what it had imported was removed again`,
      ].join("\n"),
    },
  ])
  return cli
}

type Failure = UsageError | ImportInvalid | ImportConflict | RuntimeCommandFailed | RuntimeSpawnFailed

const readText = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (cause) => new ImportInvalid({ message: `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}` }),
  })

/** What this machine's database holds of those sessions; none where it has no database yet. */
const stored = (ids: ReadonlyArray<string>) =>
  Effect.provide(storedSessions(ids), RuntimeDatabase.layer()).pipe(
    Effect.catchTag("DatabaseMissing", () => Effect.succeed(new Map<string, StoredSession>())),
    Effect.catchTag("DatabaseUnreadable", (e) => Effect.fail(new RuntimeCommandFailed({ message: e.message }))),
  )

const describeConflict = ({ session, stored }: { session: ImportSession; stored: StoredSession }) =>
  `${session.id} is already another session here (slug "${stored.slug}", created ${new Date(stored.created).toISOString()}; the file's: "${session.slug}", ${new Date(session.created).toISOString()})`

/** Runtime commands run in `cwd` with the share guard of that project applied, as for every runtime the overlay starts. */
const guardedRuntime = (cwd: string) =>
  Effect.gen(function* () {
    const policy = yield* (yield* ShareConfig).policy(cwd, process.env)
    const launch = launchEnvironment(process.env, policy)
    if (!launch.ok) return yield* new UsageError({ message: contentProblemMessage(launch.problem) })
    return (args: ReadonlyArray<string>) => runRuntimeCommand(args, { env: launch.env, cwd })
  })

const importFile = (path: string) =>
  Effect.gen(function* () {
    const file = readImportFile(yield* readText(path))
    if (file instanceof ImportInvalid) return yield* Effect.fail(new ImportInvalid({ message: `${path}: ${file.message}` }))
    const root = file.sessions[0]!
    const here = yield* stored(file.sessions.map((s) => s.id))
    const plan = planImport(file.sessions, here)
    if (plan.conflicts.length > 0)
      return yield* new ImportConflict({
        message: `${plan.conflicts.map(describeConflict).join("; ")}. Nothing was imported.`,
      })
    const children = file.sessions.length - 1
    const what = `${JSON.stringify(root.title)} (${root.id})${children > 0 ? ` with ${plural(children, "subagent session")}` : ""}`
    if (plan.toImport.length === 0) {
      process.stdout.write(`${root.id}\n`)
      say(`Already imported: ${what}, every message is here; nothing was changed.`)
      return ExitCode.ok
    }
    if (file.redacted)
      say("This export was redacted: its [REDACTED:…] placeholders and ~ for the home folder are imported as they are.")

    const cwd = process.cwd()
    const runtime = yield* guardedRuntime(cwd)

    return yield* Effect.acquireUseRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "overlay-import-"))),
      (dir) =>
        Effect.gen(function* () {
          const created: string[] = []
          for (const s of plan.toImport) {
            const input = join(dir, `${s.id}.json`)
            writeFileSync(input, JSON.stringify(s.file))
            const out = yield* runtime(["import", input])
            if (out.code !== 0 || !out.stdout.includes(`Imported session: ${s.id}`)) {
              // Take back what this run created, children first: nothing is left half-imported.
              for (const id of created.reverse()) yield* Effect.ignore(runtime(["session", "delete", id]))
              const said = `${out.stdout}${out.stderr}`.trim().split("\n").slice(-3).join(" ")
              return yield* new RuntimeCommandFailed({
                message: `the runtime's import of ${s.id} failed (exit code ${out.code}${said ? `: ${said}` : ""}); nothing was imported.`,
              })
            }
            if (!here.has(s.id)) created.push(s.id)
          }
          process.stdout.write(`${root.id}\n`)
          say(`Imported ${what} into ${cwd}.`)
          if (plan.present.length > 0) say(`${plural(plan.present.length, "session")} of the file ${plan.present.length === 1 ? "was" : "were"} already here.`)
          say(`Go on with it: opencode --session ${root.id}`)
          return ExitCode.ok
        }),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
    )
  })

export const run: CommandRun = (argv) =>
  parseAndRun<string, never, never>(program(), argv).pipe(
    Effect.flatMap((file): Effect.Effect<number, Failure, Runtime | ShareConfig> => {
      if (file === undefined) return Effect.succeed(ExitCode.ok) // --help
      if (/^https?:\/\//.test(file))
        // A share link: the runtime's own import reads it (a download; nothing is published).
        return Effect.gen(function* () {
          const out = yield* (yield* guardedRuntime(process.cwd()))(["import", file])
          process.stdout.write(out.stdout)
          process.stderr.write(out.stderr)
          return out.code
        })
      return importFile(resolve(file))
    }),
    Effect.provide(ShareConfig.layer),
    Effect.catch((error: Failure) => reportError("opencode import", error)),
  )
