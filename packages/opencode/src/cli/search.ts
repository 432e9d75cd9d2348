/**
 * `opencode search <query>`: full text over every local session (prompts,
 * answers, reasoning, tool calls, subagent sessions, titles), from the
 * overlay's own index, which is brought up to the runtime's database first.
 * Exit 0 with hits, 1 with none, 2 for a query or option that cannot be read.
 */
import { homedir } from "node:os"
import { resolve } from "node:path"
import cac from "cac"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ExitCode } from "../errors/exit-codes.ts"
import { UsageError } from "../errors/usage.ts"
import { shortLocal } from "../export/document/format.ts"
import { ROLES, type Role } from "../history/entries.ts"
import { parseQuery, type ParsedQuery } from "../history/query.ts"
import { MARK_END, MARK_START, type Hit, type SearchFilters } from "../history/search.ts"
import { HistoryIndex, indexPath } from "../history/service.ts"
import { parseAndRun } from "../program/args.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { reportError } from "../program/report.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import type { IndexFailed } from "../history/errors.ts"
import { progressBar } from "./export-progress.ts"
import { parseSince, SINCE_FORMATS } from "./since.ts"

type Options = {
  project?: string
  since?: string
  session?: string
  role?: string
  tool?: string
  limit?: string | number
  json?: boolean
  reindex?: boolean
  dataDir?: string
}

type Request = { readonly words: ReadonlyArray<string>; readonly options: Options }

const DEFAULT_LIMIT = 20

function program() {
  const cli = cac("opencode search")
  cli
    .command("[...query]", "Search every local session")
    .usage(
      "<query> [options]\n\n" +
        "  Searches the full text of every session on this machine: your prompts, the answers, the\n" +
        "  model's reasoning, tool calls (input and output), subagent sessions and titles.\n" +
        "  Words must all appear; \"a phrase\" in quotes; deplo* for words starting so; -word leaves out\n" +
        "  what holds the word. Best hits first (relevance, the newer the better).\n\n" +
        "  The index is the overlay's own file, $XDG_DATA_HOME/opencode-local-overlay/history.db,\n" +
        "  brought up to date before each search (only sessions changed since); what it holds is\n" +
        "  redacted with the export's rules. The runtime's database is only read.",
    )
    .option("--project <dir>", "only sessions of this folder or folders inside it (. for the current folder; default: every project)")
    .option("--since <date>", `only text written since then: ${SINCE_FORMATS}`)
    .option("--session <id>", "only this session and its subagent sessions")
    .option("--role <role>", `only what was said by: ${ROLES.join(", ")} (tool calls)`)
    .option("--tool <name>", "only calls of this tool (bash, read, edit, …)")
    .option("--limit <n>", `at most this many hits (default: ${DEFAULT_LIMIT})`)
    .option("--json", "print the hits as JSON, for scripts")
    .option("--reindex", "rebuild the index from scratch first (with no query: rebuild and stop)")
    .option("--data-dir <dir>", "the runtime's data folder holding opencode.db (default: $XDG_DATA_HOME/opencode, or ~/.local/share/opencode)")
    .action((words: string[], options: Options) => Effect.succeed<Request>({ words, options }))
  cli.help((sections) => [
    ...sections.filter((s) => s.title !== "Commands" && !s.title?.startsWith("For more info")),
    {
      title: "Examples",
      body: [
        "  opencode search deploy key",
        "  opencode search '\"connection refused\"' --role tool --since 7d",
        "  opencode search migrat* -test --project . --json",
      ].join("\n"),
    },
    {
      title: "Exit codes",
      body: [
        `  ${ExitCode.ok}  hits were found`,
        `  ${ExitCode.notFound}  no hit (or no OpenCode database in this home)`,
        `  ${ExitCode.usage}  a query or an option that cannot be read (the message says what is wrong)`,
        `  ${ExitCode.writeFailed}  the index cannot be written`,
      ].join("\n"),
    },
  ])
  return cli
}

/** The filters the options ask for, or what is wrong with them. */
function filtersOf(options: Options, now: number): SearchFilters | UsageError {
  const bad = (message: string) => new UsageError({ message, hint: "opencode search --help" })
  const limit = options.limit === undefined ? DEFAULT_LIMIT : Number(options.limit)
  if (!Number.isInteger(limit) || limit < 1) return bad(`--limit must be a whole number of at least 1, not ${JSON.stringify(String(options.limit))}`)
  let since: number | undefined
  if (options.since !== undefined) {
    since = parseSince(String(options.since), now)
    if (since === undefined) return bad(`--since ${JSON.stringify(String(options.since))} is not ${SINCE_FORMATS}`)
  }
  if (options.role !== undefined && !ROLES.includes(options.role as Role))
    return bad(`--role must be one of ${ROLES.join(", ")}, not ${JSON.stringify(String(options.role))}`)
  for (const key of ["project", "session", "tool"] as const)
    if (options[key] !== undefined && (typeof options[key] !== "string" || options[key] === "")) return bad(`--${key} needs a value`)
  return {
    limit,
    ...(since !== undefined ? { since } : {}),
    ...(options.project !== undefined ? { project: resolve(options.project) } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(options.role !== undefined ? { role: options.role as Role } : {}),
    ...(options.tool !== undefined ? { tool: options.tool } : {}),
  }
}

const say = (text: string) => Effect.sync(() => process.stdout.write(text))
const complain = (text: string) => Effect.sync(() => process.stderr.write(`${text}\n`))

const home = () => process.env.HOME || homedir()

/** `~/work/api` for a folder under the home directory. */
function shownFolder(directory: string): string {
  const h = home().replace(/\/+$/, "")
  return h.length > 1 && (directory === h || directory.startsWith(`${h}/`)) ? `~${directory.slice(h.length)}` : directory
}

/** The snippet on one line, its hits marked for a terminal (bold) or as **word** elsewhere. */
function shownSnippet(snippet: string, terminal: boolean): string {
  const [open, close] = terminal ? ["\x1b[1m", "\x1b[22m"] : ["**", "**"]
  return snippet.replace(/\s+/g, " ").trim().replaceAll(MARK_START, open).replaceAll(MARK_END, close)
}

const who = (hit: Hit) => (hit.role === "tool" ? `tool ${hit.tool ?? ""}`.trim() : hit.kind === "title" ? "title" : `${hit.role} ${hit.kind}`)

function hitText(hit: Hit, n: number, terminal: boolean): string {
  const title = hit.rootID === hit.sessionID ? JSON.stringify(hit.title) : `${JSON.stringify(hit.rootTitle)} › subagent ${JSON.stringify(hit.title)}`
  return [
    `${n}. ${title} · ${shownFolder(hit.directory)} · ${shortLocal(hit.time)} · ${who(hit)}`,
    `   ${shownSnippet(hit.snippet, terminal)}`,
    `   open: opencode -s ${hit.rootID} (in ${shownFolder(hit.directory)}); opencode web: /logs/#/session/${hit.rootID}`,
  ].join("\n")
}

function hitJson(hit: Hit) {
  return {
    sessionID: hit.sessionID,
    rootSessionID: hit.rootID,
    title: hit.title,
    rootTitle: hit.rootTitle,
    directory: hit.directory,
    time: new Date(hit.time).toISOString(),
    role: hit.role,
    kind: hit.kind,
    tool: hit.tool,
    messageID: hit.messageID,
    partID: hit.partID,
    snippet: shownSnippet(hit.snippet, false),
    open: { tui: `opencode -s ${hit.rootID}`, web: `/logs/#/session/${hit.rootID}` },
  }
}

type Failure = UsageError | DatabaseMissing | DatabaseUnreadable | IndexFailed

type Search = { readonly query: string; readonly parsed: ParsedQuery | undefined; readonly filters: SearchFilters; readonly options: Options }

/** The request read and checked before any file is opened. */
function checked(request: Request): Search | UsageError {
  const query = request.words.join(" ")
  const parsed = query.trim() === "" ? undefined : parseQuery(query)
  if (parsed === undefined && !request.options.reindex)
    return new UsageError({ message: "say what to search for: opencode search <words>", hint: "opencode search --help" })
  if (parsed && "problem" in parsed)
    return new UsageError({ message: `cannot read the query ${JSON.stringify(query)}: ${parsed.problem}`, hint: "opencode search --help" })
  const filters = filtersOf(request.options, Date.now())
  if (filters instanceof UsageError) return filters
  return { query, parsed, filters, options: request.options }
}

const searchWith = ({ query, parsed, filters, options }: Search) =>
  Effect.gen(function* () {
    const index = yield* HistoryIndex
    if (index.rebuilt && !options.reindex) yield* complain(`The search index was rebuilt: the one at ${index.path} was ${index.rebuilt}.`)
    // A bar on a terminal while many sessions are indexed (the first search of a long history).
    let progress: ReturnType<typeof progressBar> | undefined
    const report = yield* index.update({
      home: home(),
      onProgress: (done, all) => {
        if (all >= 20) (progress ??= progressBar(all)).update(done, "indexing sessions")
      },
    })
    progress?.finish()
    if (options.reindex)
      yield* complain(`Indexed ${report.added + report.updated} sessions into ${index.path}.`)
    if (!parsed) return ExitCode.ok

    const hits = yield* index.search(parsed.match, filters)
    if (options.json) yield* say(`${JSON.stringify({ query, hits: hits.map(hitJson) }, null, 2)}\n`)
    else if (hits.length > 0) {
      const terminal = process.stdout.isTTY === true
      yield* say(`${hits.map((hit, i) => hitText(hit, i + 1, terminal)).join("\n\n")}\n`)
    }
    if (hits.length === 0) {
      yield* complain(`No session holds ${JSON.stringify(query)}${describeFilters(filters)}.`)
      return ExitCode.notFound
    }
    if (!options.json && hits.length === filters.limit) yield* complain(`Showing the first ${hits.length} hits; --limit shows more.`)
    return ExitCode.ok
  })

function describeFilters(f: SearchFilters): string {
  const parts = [
    f.project !== undefined ? `in ${f.project}` : "",
    f.since !== undefined ? `since ${shortLocal(f.since)}` : "",
    f.session !== undefined ? `in session ${f.session}` : "",
    f.role !== undefined ? `said by ${f.role}` : "",
    f.tool !== undefined ? `in ${f.tool} calls` : "",
  ].filter((p) => p !== "")
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`
}

/** Options that take a value; the others are flags. */
const VALUE_OPTIONS = new Set(["--project", "--since", "--session", "--role", "--tool", "--limit", "--data-dir"])
const FLAGS = new Set(["--json", "--reindex", "--help", "-h"])

/**
 * The command line as options and query words. `-word` leaves a word out of
 * the hits, so a dash does not make an option here: only the options above
 * are read as options, every other word is the query's (after `--`, all are).
 */
export function splitArgv(argv: ReadonlyArray<string>): { readonly options: string[]; readonly words: string[] } {
  const options: string[] = []
  const words: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (token === "--") {
      words.push(...argv.slice(i + 1))
      break
    }
    const name = token.split("=", 1)[0]!
    if (FLAGS.has(name)) options.push(token)
    else if (VALUE_OPTIONS.has(name)) {
      options.push(token)
      if (!token.includes("=") && i + 1 < argv.length) options.push(argv[++i]!)
    } else words.push(token)
  }
  return { options, words }
}

export const run: CommandRun = (argv) =>
  Effect.suspend(() => {
    const { options, words } = splitArgv(argv)
    return parseAndRun<Request, never, never>(program(), options).pipe(Effect.map((r) => (r === undefined ? r : { ...r, words })))
  }).pipe(
    Effect.flatMap((request): Effect.Effect<number, Failure> => {
      if (request === undefined) return Effect.succeed(ExitCode.ok) // --help
      const search = checked(request)
      if (search instanceof UsageError) return Effect.fail(search)
      const layers = Layer.mergeAll(
        HistoryIndex.layer(indexPath(), { rebuild: search.options.reindex === true }),
        RuntimeDatabase.layer(search.options.dataDir),
      )
      return Effect.scoped(Effect.provide(searchWith(search), layers))
    }),
    Effect.catch((error: Failure) => reportError("opencode search", error)),
  )
