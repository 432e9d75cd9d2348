/**
 * The arguments of `opencode export [sessionID]`: its cac program (options,
 * help, exit codes) and the checks that turn a command line into `ExportArgs`.
 */
import cac from "cac"
import * as Effect from "effect/Effect"
import { EXPORT_FORMATS, type ExportFormat } from "../export/document/choices.ts"
import { parseSince, SINCE_FORMATS } from "../export/document/since.ts"
import { parseAndRun } from "../program/args.ts"
import { UsageError } from "../errors/usage.ts"
import { ExitCode } from "../errors/exit-codes.ts"

export type ExportArgs = {
  readonly sessionID?: string
  readonly format: ExportFormat
  readonly output?: string
  readonly stdout: boolean
  readonly force: boolean
  readonly thinking: boolean
  readonly toolDetails: boolean
  readonly diffs: boolean
  readonly redact: boolean
  readonly children: boolean
  readonly last: boolean
  readonly all: boolean
  /** `--since`, in ms. */
  readonly since?: number
  readonly dataDir?: string
  readonly attach?: string
}

const EXIT_CODES = [
  `  ${ExitCode.ok}  exported`,
  `  ${ExitCode.notFound}  no such session (the nearest ids are named), no session to export, or no database or server to read`,
  `  ${ExitCode.usage}  bad usage`,
  `  ${ExitCode.writeFailed}  writing refused or failed: the file exists (without --force), or the folder is missing or read-only;`,
  "     nothing is left half-written",
].join("\n")

const EXAMPLES = [
  "  $ opencode export ses_1a2b3c             Markdown log of that session, in this folder",
  "  $ opencode export --last --format json   lossless JSON of this project's latest session",
  "  $ opencode export --last --stdout | less",
  "  $ opencode export --all --since 7d -o exports/",
].join("\n")

function program() {
  const cli = cac("opencode export")
  cli
    .command("[sessionID]", "Export a session")
    .usage(
      "[sessionID] [options]\n\n" +
        "  Writes a session as a readable Markdown log (default) or a lossless JSON file, from the\n" +
        "  runtime's local database (read-only; the runtime need not run). Secrets and the home\n" +
        "  directory are redacted and attachments are left out (name, type, size, sha256 only).\n" +
        "  Prints the written path on stdout; messages go to stderr. Without a session id it asks\n" +
        "  which one on a terminal; elsewhere pass an id (`opencode session list`), --last or --all.",
    )
    .option("--format <format>", "markdown (a readable log), json (lossless, docs/export-format.md) or html (one page anyone can open offline)", { default: "markdown" })
    .option("-o, --output <path>", "file to write, or an existing folder to write the default name into (default: <slug>-<YYYYMMDD-HHmm>.md|.json in the current folder)")
    .option("--stdout", "write the export to stdout instead of a file")
    .option("--force", "replace the output file if it exists (otherwise that is refused, exit code 3)")
    .option("--thinking", "include the model's reasoning")
    .option("--tool-details", "include tool input and output (long output is cut, with a note of how much) and text the runtime added, such as an attached file's content")
    .option("--diffs", "include diffs: edits made by tools and the session's file changes")
    .option("--no-redact", "do not redact secrets or the home directory (attachments and binary data are still left out)")
    .option("--no-children", "leave out subagent sessions (by default they follow the tool call that started them)")
    .option("--last", "export the most recently updated session of the project in the current folder")
    .option("--all", "export every top-level session, one file each, into the folder given with -o (default: the current folder)")
    .option("--since <date>", `with --all: only sessions updated since then; ${SINCE_FORMATS}`)
    .option("--data-dir <dir>", "the runtime's data folder holding opencode.db (default: $XDG_DATA_HOME/opencode, or ~/.local/share/opencode)")
    .option("--attach <url>", "read from a running runtime's HTTP API (opencode serve) instead of the database; OPENCODE_SERVER_PASSWORD for a protected server")
    .action((sessionID: unknown, options: Record<string, unknown>) => Effect.succeed({ sessionID, options }))
  // cac lists the (single, default) command as if there were several; those sections say nothing here.
  // cac also prints the hidden default of a --no-… flag ("(default: true)"), which only confuses.
  cli.help((sections) => [
    ...sections
      .filter((s) => s.title !== "Commands" && !s.title?.startsWith("For more info"))
      .map((s) => (s.title === "Options" ? { ...s, body: s.body.replace(/ \(default: true\)/g, "").replace(/ +$/gm, "") } : s)),
    { title: "Examples", body: EXAMPLES },
    { title: "Exit codes", body: EXIT_CODES },
  ])
  return cli
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || typeof v === "boolean" ? undefined : String(v))

/** The parsed command line, checked; usage problems are `UsageError`s. */
export const parseExportArgs = (argv: ReadonlyArray<string>, now = Date.now()): Effect.Effect<ExportArgs | undefined, UsageError> =>
  Effect.flatMap(
    parseAndRun<{ sessionID: unknown; options: Record<string, unknown> }, never, never>(program(), argv),
    (parsed): Effect.Effect<ExportArgs | undefined, UsageError> => {
      if (parsed === undefined) return Effect.succeed(undefined)
      const o = parsed.options
      const usage = (message: string) => Effect.fail(new UsageError({ message, hint: "opencode export --help" }))
      const format = str(o.format)
      const isFormat = (f: string | undefined): f is ExportFormat => (EXPORT_FORMATS as ReadonlyArray<string | undefined>).includes(f)
      if (!isFormat(format)) return usage(`--format must be markdown, json or html, not ${JSON.stringify(o.format)}`)
      const sessionID = str(parsed.sessionID)
      const all = o.all === true
      const last = o.last === true
      const stdout = o.stdout === true
      const output = str(o.output)
      if (o.output === true || output === "") return usage("-o/--output needs a file or folder")
      if (sessionID !== undefined && (all || last)) return usage(`give a session id, --last or --all, not more than one`)
      if (all && last) return usage("give --last or --all, not both")
      if (stdout && all) return usage("--stdout writes one session; --all writes files (use -o <folder>)")
      if (stdout && output !== undefined) return usage("give --stdout or -o, not both")
      let since: number | undefined
      if (o.since !== undefined) {
        if (!all) return usage("--since works with --all")
        since = parseSince(String(o.since), now)
        if (since === undefined) return usage(`--since ${JSON.stringify(String(o.since))} is not ${SINCE_FORMATS}`)
      }
      for (const name of ["dataDir", "attach"] as const)
        if (o[name] === true || str(o[name]) === "") return usage(`--${name === "dataDir" ? "data-dir" : "attach"} needs a value`)
      if (o.dataDir !== undefined && o.attach !== undefined) return usage("give --data-dir or --attach, not both")
      return Effect.succeed({
        ...(sessionID !== undefined ? { sessionID } : {}),
        format,
        ...(output !== undefined ? { output } : {}),
        stdout,
        force: o.force === true,
        thinking: o.thinking === true,
        toolDetails: o.toolDetails === true,
        diffs: o.diffs === true,
        redact: o.redact !== false,
        children: o.children !== false,
        last,
        all,
        ...(since !== undefined ? { since } : {}),
        ...(str(o.dataDir) !== undefined ? { dataDir: str(o.dataDir)! } : {}),
        ...(str(o.attach) !== undefined ? { attach: str(o.attach)! } : {}),
      })
    },
  )

