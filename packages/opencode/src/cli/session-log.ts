/**
 * `opencode session-log`: brings the automatic session logs of the project
 * in the current folder up to date (each session as the export's Markdown,
 * redacted, in the folder its `session-log.json` names). The overlay runs the
 * same when a session goes idle and when a runtime it started ends; this is
 * the way to do it by hand, and to see where the logs go.
 */
import cac from "cac"
import * as Effect from "effect/Effect"
import { ExitCode } from "../errors/exit-codes.ts"
import { UsageError } from "../errors/usage.ts"
import { plural } from "../export/document/format.ts"
import { parseAndRun } from "../program/args.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { reportError } from "../program/report.ts"
import { Runtime } from "../runtime/service.ts"
import { logFromDatabase } from "../session-log/run.ts"
import { DEFAULT_FOLDER, SETTINGS_FILE, sessionLogSettings } from "../session-log/settings.ts"

type Options = { session?: string; rewrite?: boolean; quiet?: boolean; dataDir?: string }

function program() {
  const cli = cac("opencode session-log")
  cli
    .command("", "Bring this project's session logs up to date")
    .usage(
      "[options]\n\n" +
        "  Writes each session of the project in the current folder as a Markdown log (the export's\n" +
        "  format and file name, secrets redacted, subagent sessions inside their parent's log) into\n" +
        `  the project's log folder (default: ${DEFAULT_FOLDER}/), rewriting only logs older than their\n` +
        "  session. The folder gets a .gitignore that ignores the logs unless the project means them to\n" +
        "  be committed.\n\n" +
        "  Nothing is written unless the project opted in, in .opencode/session-log.json (committed with\n" +
        "  the project) or, for every project, in ~/.config/opencode/session-log.json:\n\n" +
        `    { "enabled": true, "folder": "${DEFAULT_FOLDER}", "commit": false }\n\n` +
        "  Once on, the overlay keeps the logs up to date itself: when a session goes idle in the TUI or\n" +
        "  in opencode serve/web, and when a runtime it started ends (opencode run, the TUI).",
    )
    .option("--session <id>", "only the log of this session (or of the session it is a subagent of)")
    .option("--rewrite", "rewrite every log of the project, also those up to date")
    .option("--quiet", "say nothing unless something failed")
    .option("--data-dir <dir>", "the runtime's data folder holding opencode.db (default: $XDG_DATA_HOME/opencode)")
    .action((options: Options) => Effect.succeed(options))
  cli.help((sections) => [
    ...sections.filter((s) => s.title !== "Commands" && !s.title?.startsWith("For more info")),
    {
      title: "Exit codes",
      body: [
        `  ${ExitCode.ok}  the logs are up to date (or the project did not opt in: nothing written)`,
        `  ${ExitCode.usage}  an option that cannot be read`,
        `  ${ExitCode.writeFailed}  a log or the folder could not be written (the others were; no log is half-written)`,
      ].join("\n"),
    },
  ])
  return cli
}

const say = (text: string) => process.stderr.write(`${text}\n`)

export const run: CommandRun = (argv) =>
  Effect.gen(function* () {
    const options = yield* parseAndRun<Options, never, never>(program(), argv)
    if (options === undefined) return ExitCode.ok // --help
    if (options.session !== undefined && String(options.session).trim() === "")
      return yield* Effect.fail(new UsageError({ message: "--session needs a session id", hint: "opencode session-log --help" }))
    const settings = sessionLogSettings(process.cwd())
    for (const problem of settings.problems) say(`opencode session-log: ${problem}`)
    if (!settings.enabled) {
      if (!options.quiet)
        say(
          `Session logs are off for ${settings.project}; nothing was written. To keep them, commit ` +
            `.opencode/${SETTINGS_FILE} with {"enabled": true} (or put it in ~/.config/opencode/ for every project).`,
        )
      return ExitCode.ok
    }
    const runtime = yield* Runtime
    const report = yield* logFromDatabase(settings, runtime.location.version, {
      ...(options.session !== undefined ? { session: String(options.session) } : {}),
      rewrite: options.rewrite === true,
      ...(options.dataDir !== undefined ? { dataDir: String(options.dataDir) } : {}),
    }).pipe(
      Effect.catchTag("DatabaseMissing", () =>
        Effect.succeed({ folder: settings.folder, written: [], upToDate: 0, failed: [] }),
      ),
    )
    for (const w of report.written) process.stdout.write(`${w.path}\n`)
    for (const f of report.failed) say(`opencode session-log: ${f.sessionID}: ${f.message}`)
    if (!options.quiet) {
      if (options.session !== undefined && report.written.length + report.upToDate + report.failed.length === 0)
        say(`No session ${options.session} in this project (${settings.project}); nothing was written.`)
      else
        say(
          `Session logs in ${report.folder}: ${plural(report.written.length, "log")} written, ${report.upToDate} up to date` +
            `${report.failed.length > 0 ? `, ${report.failed.length} failed` : ""}; secrets redacted.`,
        )
    }
    return report.failed.length > 0 ? ExitCode.writeFailed : ExitCode.ok
  }).pipe(Effect.catch((error) => reportError("opencode session-log", error)))
