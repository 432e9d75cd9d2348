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
import { ROLES } from "../history/entries.ts"
import { DEFAULT_LIMIT, hitJson, MAX_LIMIT, readSearch, type HitJson, type SearchAnswer, type SearchRequest } from "../history/request.ts"
import type { SearchFilters } from "../history/search.ts"
import { HistoryIndex, indexPath } from "../history/service.ts"
import { parseAndRun } from "../program/args.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { reportError } from "../program/report.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import type { IndexFailed } from "../history/errors.ts"
import { progressBar } from "./export-progress.ts"
import { SINCE_FORMATS } from "../export/document/since.ts"

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
    .option("--limit <n>", `at most this many hits (default: ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`)
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

const say = (text: string) => Effect.sync(() => process.stdout.write(text))
const complain = (text: string) => Effect.sync(() => process.stderr.write(`${text}\n`))

const home = () => process.env.HOME || homedir()

/** `~/work/api` for a folder under the home directory. */
function shownFolder(directory: string): string {
  const h = home().replace(/\/+$/, "")
  return h.length > 1 && (directory === h || directory.startsWith(`${h}/`)) ? `~${directory.slice(h.length)}` : directory
}

/** The snippet with its hits marked for a terminal (bold) or as **word** elsewhere. */
function shownSnippet(hit: HitJson, terminal: boolean): string {
  const [open, close] = terminal ? ["\x1b[1m", "\x1b[22m"] : ["**", "**"]
  let out = ""
  let at = 0
  for (const [start, end] of hit.highlights) {
    out += `${hit.snippet.slice(at, start)}${open}${hit.snippet.slice(start, end)}${close}`
    at = end
  }
  return out + hit.snippet.slice(at)
}

const who = (hit: HitJson) => (hit.role === "tool" ? `tool ${hit.tool ?? ""}`.trim() : hit.kind === "title" ? "title" : `${hit.role} ${hit.kind}`)

function hitText(hit: HitJson, n: number, terminal: boolean): string {
  const title =
    hit.rootSessionID === hit.sessionID ? JSON.stringify(hit.title) : `${JSON.stringify(hit.rootTitle)} › subagent ${JSON.stringify(hit.title)}`
  return [
    `${n}. ${title} · ${shownFolder(hit.directory)} · ${shortLocal(Date.parse(hit.time))} · ${who(hit)}`,
    `   ${shownSnippet(hit, terminal)}`,
    `   open: ${hit.open.tui} (in ${shownFolder(hit.directory)}); opencode web: ${hit.open.web}`,
  ].join("\n")
}

type Failure = UsageError | DatabaseMissing | DatabaseUnreadable | IndexFailed

/** Reindex with no query, or a search. */
type Search = { readonly request: SearchRequest | undefined; readonly options: Options }

/** The command line read and checked before any file is opened. */
function checked({ words, options }: Request): Search | UsageError {
  const bad = (message: string) => new UsageError({ message, hint: "opencode search --help" })
  const q = words.join(" ")
  if (q.trim() === "" && options.reindex) return { request: undefined, options }
  if (q.trim() === "") return bad("say what to search for: opencode search <words>")
  const text = (value: unknown) => (value === undefined ? undefined : String(value))
  const request = readSearch(
    {
      q,
      project: text(options.project),
      since: text(options.since),
      session: text(options.session),
      role: text(options.role),
      tool: text(options.tool),
      limit: text(options.limit),
    },
    { now: Date.now(), name: (field) => `--${field}`, folder: (path) => resolve(path) },
  )
  return "problem" in request ? bad(request.problem) : { request, options }
}

const searchWith = ({ request, options }: Search) =>
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
    if (report.behind > 0)
      yield* complain(
        `Another search is updating the index at ${index.path}; ${report.behind} changed sessions are not in it yet, so these results may miss them.`,
      )
    if (options.reindex)
      yield* complain(`Indexed ${report.added + report.updated} sessions into ${index.path}.`)
    if (!request) return ExitCode.ok

    const { query, filters } = request
    const hits = (yield* index.search(request.match, filters, { home: home() })).map(hitJson)
    if (options.json) yield* say(`${JSON.stringify({ query, hits } satisfies SearchAnswer, null, 2)}\n`)
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
