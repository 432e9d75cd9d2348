/**
 * `opencode import <file>`: continues a session elsewhere. Takes the overlay's
 * JSON export (the session with its subagent sessions) or the runtime's own
 * export, checks the whole file and this machine's database first, then has
 * the runtime import each session (its own `opencode import`, in the project
 * of the current folder, with the share guard applied). A share link of a
 * team server the user signed in to is read here with the member's token and
 * imported as a file is; any other link goes to the runtime's import unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import cac from "cac"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ShareConfig } from "../config/service.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { UsageError } from "../errors/usage.ts"
import { ImportConflict, ImportInvalid } from "../import/errors.ts"
import { planImport, type ImportConflictItem, type ImportPlan } from "../import/plan.ts"
import { IMPORT_LIMITS, readImportFile, type ImportSession } from "../import/read.ts"
import { storedState, type StoredState } from "../storage/id-owners.ts"
import { parseAndRun } from "../program/args.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { reportError } from "../program/report.ts"
import { runCaptured } from "../runtime/captured-run.ts"
import { RuntimeCommandFailed, type RuntimeSpawnFailed } from "../runtime/errors.ts"
import type { Runtime } from "../runtime/service.ts"
import { contentProblemMessage, launchEnvironment } from "../share/launch-env.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import { TeamCredentials } from "../team/credentials.ts"
import type { CredentialsFailed, TeamServerUnreachable, TeamTokenRefused } from "../team/errors.ts"
import { exportFromItems, parseShareLink, readShare, type ShareLink } from "../team/share-link.ts"

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
        "  own export; a share link: of a team server you signed in to (opencode share login), read with\n" +
        "  your member token and imported as a file is; any other, passed to the runtime's import. The whole file is checked before\n" +
        "  anything is written, and the import is all or nothing: what a failed import wrote is removed\n" +
        "  again. Importing the same file again changes nothing; an id that belongs to another session\n" +
        "  here is refused. A redacted export keeps its [REDACTED:…] placeholders.",
    )
    .action((file: string) => Effect.succeed(file))
  cli.help((sections) => [
    ...sections.filter((s) => s.title !== "Commands" && !s.title?.startsWith("For more info")),
    {
      title: "Exit codes",
      body: [
        `  ${ExitCode.ok}  imported, or already here`,
        `  ${ExitCode.notFound}  a team server's share not there (taken down, expired) or the server not reached`,
        `  ${ExitCode.usage}  bad usage, a member token the team server refused, or a file that is not a JSON export (Markdown, HTML, truncated, another format version,`,
        `     a part filed under another message, an id twice, subagents nested over ${IMPORT_LIMITS.depth} deep or over ${IMPORT_LIMITS.sessions} sessions)`,
        `  ${ExitCode.writeFailed}  an id in the file (a session's, a message's, a part's) belongs to another session here; nothing was imported`,
        `  ${ExitCode.runtimeFailed}  the runtime's import failed; what it had imported was removed again`,
      ].join("\n"),
    },
  ])
  return cli
}

type Failure = UsageError | ImportInvalid | ImportConflict | RuntimeCommandFailed | RuntimeSpawnFailed | TeamTokenRefused | TeamServerUnreachable | CredentialsFailed

const readText = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (cause) => new ImportInvalid({ message: `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}` }),
  })

/** What this machine's database holds of the file's sessions, messages and parts; nothing where it has no database yet. */
const stored = (sessions: ReadonlyArray<ImportSession>) =>
  Effect.provide(
    storedState({
      sessionIDs: sessions.map((s) => s.id),
      messageIDs: sessions.flatMap((s) => s.messageIDs),
      partIDs: sessions.flatMap((s) => s.partIDs),
    }),
    RuntimeDatabase.layer(),
  ).pipe(
    Effect.catchTag("DatabaseMissing", () => Effect.succeed<StoredState>({ sessions: new Map(), owners: new Map() })),
    Effect.catchTag("DatabaseUnreadable", (e) => Effect.fail(new RuntimeCommandFailed({ message: e.message }))),
  )

const describeConflict = (c: ImportConflictItem) =>
  c.kind === "session"
    ? `${c.session.id} is already another session here (slug "${c.stored.slug}", created ${new Date(c.stored.created).toISOString()}; the file's: "${c.session.slug}", ${new Date(c.session.created).toISOString()})`
    : `${c.kind} ${c.id} of session ${c.session.id} already belongs to session ${c.owner} here`

/** The first few conflicts, and how many more: a file that clashes everywhere still fits a terminal. */
const describeConflicts = (conflicts: ReadonlyArray<ImportConflictItem>) => {
  const shown = conflicts.slice(0, 3).map(describeConflict).join("; ")
  return conflicts.length > 3 ? `${shown}; and ${conflicts.length - 3} more ids` : shown
}

/** The ids of `sessions` the database does not hold under the session the file puts them in. */
const missingAfterImport = (sessions: ReadonlyArray<ImportSession>, after: StoredState) =>
  sessions.flatMap((s) => [
    ...(after.sessions.has(s.id) ? [] : [s.id]),
    ...[...s.messageIDs, ...s.partIDs].filter((id) => after.owners.get(id) !== s.id),
  ])

/** Runtime commands run in `cwd` with the share guard of that project applied, as for every runtime the overlay starts. */
const guardedRuntime = (cwd: string) =>
  Effect.gen(function* () {
    const policy = yield* (yield* ShareConfig).policy(cwd, process.env)
    const launch = launchEnvironment(process.env, policy)
    if (!launch.ok) return yield* new UsageError({ message: contentProblemMessage(launch.problem) })
    return (args: ReadonlyArray<string>) => runCaptured(args, { env: launch.env, cwd })
  })

const importFile = (path: string) => Effect.flatMap(readText(path), (text) => importText(text, path))

/** A share link on a team server the user signed in to: read with the member's token, then imported as a file is. */
const importTeamShare = (link: ShareLink, token: string) =>
  Effect.gen(function* () {
    const items = yield* readShare(link, token)
    const exported = exportFromItems(items)
    if (!exported) return yield* new ImportInvalid({ message: `share ${link.slug} on ${link.origin} holds no session with messages.` })
    return yield* importText(JSON.stringify(exported), `${link.origin}/share/${link.slug}`)
  })

const importText = (text: string, label: string) =>
  Effect.gen(function* () {
    const file = readImportFile(text)
    if (file instanceof ImportInvalid) return yield* Effect.fail(new ImportInvalid({ message: `${label}: ${file.message}` }))
    const root = file.sessions[0]!
    const here = yield* stored(file.sessions)
    const plan = planImport(file.sessions, here)
    if (plan.conflicts.length > 0)
      return yield* new ImportConflict({
        message: `${describeConflicts(plan.conflicts)}. Nothing was imported.`,
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

    yield* Effect.acquireUseRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "overlay-import-"))),
      (dir) => writeSessions(plan, here, runtime, dir),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
    )
    process.stdout.write(`${root.id}\n`)
    say(`Imported ${what} into ${cwd}.`)
    if (plan.present.length > 0) say(`${plural(plan.present.length, "session")} of the file ${plan.present.length === 1 ? "was" : "were"} already here.`)
    say(`Go on with it: opencode --session ${root.id}`)
    return ExitCode.ok
  })

type GuardedRuntime = Effect.Success<ReturnType<typeof guardedRuntime>>

/**
 * Has the runtime import each session of the plan (parents first), then
 * checks that every id of the file is where the file puts it. All or nothing:
 * a failure or an interruption takes back every session this run added, the
 * one that failed included (the runtime's import writes row by row, in no
 * transaction, and skips a row it cannot write without failing).
 */
const writeSessions = (plan: ImportPlan, here: StoredState, runtime: GuardedRuntime, dir: string) =>
  Effect.gen(function* () {
    const created: string[] = []
    const takeBack = Effect.suspend(() => Effect.forEach(created.toReversed(), (id) => Effect.ignore(runtime(["session", "delete", id])), { discard: true }))
    // A session imported in part before (an import that was killed) gets its missing rows; those stay if this one fails.
    const partly = plan.toImport.filter((s) => here.sessions.has(s.id)).map((s) => s.id)
    const leftAsItWas = partly.length > 0 ? ` ${partly.join(", ")} had been imported in part before and may hold more of the file now; importing again completes it.` : ""
    const writeAll = Effect.gen(function* () {
      for (const s of plan.toImport) {
        const input = join(dir, `${s.id}.json`)
        writeFileSync(input, JSON.stringify(s.file))
        if (!here.sessions.has(s.id)) created.push(s.id)
        const out = yield* runtime(["import", input])
        if (out.code !== 0 || !out.stdout.includes(`Imported session: ${s.id}`)) {
          const said = `${out.stdout}${out.stderr}`.trim().split("\n").slice(-3).join(" ")
          return yield* new RuntimeCommandFailed({
            message: `the runtime's import of ${s.id} failed (exit code ${out.code}${said ? `: ${said}` : ""}); nothing was imported.${leftAsItWas}`,
          })
        }
      }
      const missing = missingAfterImport(plan.toImport, yield* stored(plan.toImport))
      if (missing.length > 0)
        return yield* new RuntimeCommandFailed({
          message: `the runtime's import left out ${plural(missing.length, "id")} of the file (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}); what it had imported was removed again.${leftAsItWas}`,
        })
    })
    yield* writeAll.pipe(Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : takeBack)))
  })

export const run: CommandRun = (argv) =>
  parseAndRun<string, never, never>(program(), argv).pipe(
    Effect.flatMap((file): Effect.Effect<number, Failure, Runtime | ShareConfig | TeamCredentials> => {
      if (file === undefined) return Effect.succeed(ExitCode.ok) // --help
      if (/^https?:\/\//.test(file))
        return Effect.gen(function* () {
          // A team server's link, signed in: read with the member's token here (the runtime would send none).
          const link = parseShareLink(file)
          const kept = link ? yield* (yield* TeamCredentials).get(link.origin) : undefined
          if (link && kept) return yield* importTeamShare(link, kept.token)
          // Any other share link: the runtime's own import reads it (a download; nothing is published).
          const out = yield* (yield* guardedRuntime(process.cwd()))(["import", file])
          process.stdout.write(out.stdout)
          process.stderr.write(out.stderr)
          return out.code
        })
      return importFile(resolve(file))
    }),
    Effect.provide(ShareConfig.layer),
    Effect.provide(TeamCredentials.layer()),
    Effect.catch((error: Failure) => reportError("opencode import", error)),
  )
