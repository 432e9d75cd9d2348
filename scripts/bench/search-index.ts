/**
 * The search index (`opencode search`) on the code-like benchmark databases:
 * its first build against the redacted JSON export of the same content, its
 * size against the runtime's database, a search with the index up to date and
 * one after one new turn against `opencode --version`, peak memory, and a
 * check that no planted secret is in the index file (with the runtime's
 * database, which holds them all, as the control).
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { appendTurn, openForWriting, partCount, type Home } from "./generate.ts"
import { mb, measure, median, secs, type Command, type Sample } from "./measure.ts"

export type IndexContext = {
  readonly overlay: string
  readonly runtime: string
  readonly runs: number
  readonly log: (text: string) => void
}

export type IndexRow = {
  readonly size: string
  readonly parts: number
  readonly dbBytes: number
  readonly indexBytes: number
  readonly planted: number
  /** Planted secrets found in the index file's bytes (must be none). */
  readonly inIndex: number
  readonly results: Record<string, Sample[]>
}

/** A word on many lines of the code-like output: the search ranks many hits. */
const COMMON_WORD = "bcrypt"

const LABELS = {
  export: "overlay export --format json (redacted)",
  first: "first index: search --reindex",
  warm: "search, index up to date",
  turn: "search after one new turn",
  version: "overlay --version",
  runtimeVersion: "runtime --version",
} as const

/** Whether any planted secret is in a file's bytes, as written or JSON-escaped. */
function secretsIn(path: string, planted: ReadonlyArray<string>): number {
  if (!existsSync(path)) return 0
  const bytes = readFileSync(path)
  return planted.filter((secret) => bytes.includes(secret) || bytes.includes(JSON.stringify(secret).slice(1, -1))).length
}


export async function benchIndex(ctx: IndexContext, size: string, home: Home, sessionID: string, planted: ReadonlyArray<string>): Promise<IndexRow> {
  const dbBytes = statSync(home.database).size
  const parts = partCount(home.database)
  // The control: the runtime's database holds every planted secret, so the check below would see one in the index.
  const inDatabase = secretsIn(home.database, planted)
  if (inDatabase !== planted.length) throw new Error(`the runtime's database holds ${inDatabase} of ${planted.length} planted secrets: the index check would not see a leak`)

  const outDir = join(home.root, "index-out")
  mkdirSync(outDir, { recursive: true })
  const indexFile = join(home.env.XDG_DATA_HOME!, "opencode-local-overlay", "history.db")
  const base = { cwd: home.project, env: home.env }
  const command = (label: string, argv: ReadonlyArray<string>): Command => ({ ...base, label, argv })
  const exportJson = command(LABELS.export, [ctx.overlay, "export", sessionID, "--format", "json", "-o", join(outDir, "x.json"), "--force"])
  const first = command(LABELS.first, [ctx.overlay, "search", "--reindex", "--limit", "20", "--", COMMON_WORD])
  const warm = command(LABELS.warm, [ctx.overlay, "search", "--limit", "20", "--", COMMON_WORD])
  const version = command(LABELS.version, [ctx.overlay, "--version"])
  const runtimeVersion = command(LABELS.runtimeVersion, [ctx.runtime, "--version"])
  const results: Record<string, Sample[]> = Object.fromEntries(Object.values(LABELS).map((label) => [label, []]))

  ctx.log("  search index: warm-up")
  for (const c of [exportJson, first, warm, version, runtimeVersion]) await measure(c)
  let turn = 0
  for (let i = 1; i <= ctx.runs; i++) {
    for (const c of [exportJson, first, warm, version, runtimeVersion]) results[c.label]!.push(await measure(c))
    // One new turn in the big session, then a search for a word only that turn holds: the update must have read it.
    const marker = `turnmarker${++turn}x${i}`
    const db = openForWriting(home.database)
    appendTurn(db, home, sessionID, turn, marker)
    db.close()
    results[LABELS.turn]!.push(await measure(command(LABELS.turn, [ctx.overlay, "search", "--limit", "20", "--", marker])))
    ctx.log(`  run ${i}/${ctx.runs}: ${Object.entries(results).map(([label, samples]) => `${label.replace(/ \(.*\)|: .*/, "")} ${Math.round(samples.at(-1)!.ms)} ms`).join(", ")}`)
  }
  // The size of a first index: --reindex, then the file as a search leaves it (its log folded in when it closes).
  await measure(first)
  const indexBytes = ["", "-wal"].reduce((sum, suffix) => sum + (existsSync(indexFile + suffix) ? statSync(indexFile + suffix).size : 0), 0)
  const inIndex = ["", "-wal"].reduce((sum, suffix) => sum + secretsIn(indexFile + suffix, planted), 0)
  ctx.log(`  index ${(indexBytes / 1024 / 1024).toFixed(1)} MiB for a ${(dbBytes / 1024 / 1024).toFixed(1)} MiB database; planted secrets in it: ${inIndex} of ${planted.length}`)
  return { size, parts, dbBytes, indexBytes, planted: planted.length, inIndex, results }
}


export function indexReport(rows: ReadonlyArray<IndexRow>): string[] {
  if (rows.length === 0) return []
  const at = (row: IndexRow, label: string) => median(row.results[label]!.map((s) => s.ms))
  const rss = (row: IndexRow, label: string) => median(row.results[label]!.map((s) => s.rssBytes))
  const lines = [
    "",
    "## Search index on code-like sessions",
    "",
    "`opencode search` keeps its own index (SQLite FTS5, redacted with the export's rules). Measured on the code-like",
    "databases above, each command a whole process (start-up included), interleaved, median of the runs. Issue 26's",
    "targets: the first index in at most 2× the redacted JSON export of the same content; the index file no larger than",
    "the runtime's database; a search after one new turn, and a search on the up-to-date index, in at most 5×",
    "`opencode --version`; memory flat in the size of the database. The search looks for a word on many lines",
    `(\`${COMMON_WORD}\`); the search after a new turn looks for a word only that turn holds, so it finds it only if the update read it.`,
    "",
    "| size | parts | database | index file | index vs database | first index | export json | first index vs export | peak RSS of first index | planted secrets in the index |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ]
  for (const row of rows) {
    const first = at(row, LABELS.first)
    const exported = at(row, LABELS.export)
    lines.push(
      `| ${row.size} | ${row.parts.toLocaleString("en")} | ${mb(row.dbBytes)} | ${mb(row.indexBytes)} | ${(row.indexBytes / row.dbBytes).toFixed(2)}× | ${secs(first)} | ${secs(exported)} | ${(first / exported).toFixed(2)}× | ${mb(rss(row, LABELS.first))} | ${row.inIndex} of ${row.planted} |`,
    )
  }
  lines.push(
    "",
    "| size | search, up to date | search after one new turn | overlay --version | runtime --version | up to date vs overlay --version | new turn vs overlay --version | new turn vs runtime --version | peak RSS, new turn |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  )
  for (const row of rows) {
    const warm = at(row, LABELS.warm)
    const turn = at(row, LABELS.turn)
    const version = at(row, LABELS.version)
    const runtimeVersion = at(row, LABELS.runtimeVersion)
    lines.push(
      `| ${row.size} | ${secs(warm)} | ${secs(turn)} | ${secs(version)} | ${secs(runtimeVersion)} | ${(warm / version).toFixed(1)}× | ${(turn / version).toFixed(1)}× | ${(turn / runtimeVersion).toFixed(1)}× | ${mb(rss(row, LABELS.turn))} |`,
    )
  }
  if (rows.length > 1) {
    const [small, large] = [rows[0]!, rows.at(-1)!]
    lines.push(
      "",
      `Memory: from ${small.size} to ${large.size} the database grows ${(large.dbBytes / small.dbBytes).toFixed(1)}×; the first index's peak RSS ${(rss(large, LABELS.first) / rss(small, LABELS.first)).toFixed(2)}× (${mb(rss(small, LABELS.first))} → ${mb(rss(large, LABELS.first))}).`,
    )
  }
  return lines
}
