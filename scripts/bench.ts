/**
 * `bun run bench`: the overlay's export against the runtime's own
 * `opencode export <id>`, as whole processes, on databases with the runtime's
 * real schema at three sizes, plus a 1,000-session history, and code-like
 * sessions (tool output that names tokens, keys and secrets on most lines,
 * secrets of real formats planted) where redaction is measured against
 * `--no-redact`, and where the search index is built from them (first index,
 * size, a search after one new turn). Writes BENCHMARKS.md. Options:
 * --sizes S,M,L  --code-sizes S,M,L  --index-sizes M,L  --runs 5  --history 1000  --keep
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import * as Effect from "effect/Effect"
import { locateRuntime } from "../packages/opencode/src/runtime/locate.ts"
import { OVERLAY_VERSION } from "../packages/opencode/src/version.ts"
import { insertSession, openForWriting, partCount, runtimeHome, type Home, type SessionSpec } from "./bench/generate.ts"
import { firstByte, mb, measure, median, secs, type Command, type Sample } from "./bench/measure.ts"
import { benchIndex as benchSearchIndex, indexReport, type IndexRow } from "./bench/search-index.ts"
import { mergeSections } from "./bench/sections.ts"

const ROOT = resolve(import.meta.dir, "..")
const OVERLAY = join(ROOT, "packages/opencode/bin/opencode")
const FLOOR = join(ROOT, "scripts/bench/floor.ts")
const FLOOR_LABEL = "floor: read + JSON.parse"
const RUNTIME = Effect.runSync(locateRuntime())

const SIZES: Record<string, { spec: SessionSpec; label: string }> = {
  S: { label: "S: 20 messages", spec: { messages: 20, partsPerAssistant: 19, children: 1, childMessages: 4 } },
  M: { label: "M: 2,000 messages / ~20,000 parts", spec: { messages: 2000, partsPerAssistant: 19, children: 3, childMessages: 20 } },
  L: { label: "L: 20,000 messages / ~200,000 parts", spec: { messages: 20000, partsPerAssistant: 19, children: 5, childMessages: 40 } },
}

/** Code-like sessions: about 10 parts per assistant message, as the sessions the redaction issue measured (2,003 messages, 10,007 parts). */
const CODE_SIZES: Record<string, { spec: SessionSpec; label: string }> = {
  S: { label: "S code: 20 messages", spec: { messages: 20, partsPerAssistant: 10, children: 1, childMessages: 4, content: "code" } },
  M: { label: "M code: 2,000 messages / ~10,000 parts", spec: { messages: 2000, partsPerAssistant: 10, children: 3, childMessages: 20, content: "code" } },
  L: { label: "L code: 20,000 messages / ~100,000 parts", spec: { messages: 20000, partsPerAssistant: 10, children: 5, childMessages: 40, content: "code" } },
}

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "S,M,L" },
    "code-sizes": { type: "string", default: "S,M,L" },
    "index-sizes": { type: "string", default: "M,L" },
    runs: { type: "string", default: "5" },
    history: { type: "string", default: "1000" },
    out: { type: "string", default: join(ROOT, "BENCHMARKS.md") },
    work: { type: "string", default: join(ROOT, ".bench") },
    keep: { type: "boolean", default: false },
  },
})
const runs = Number(values.runs)
const historySize = Number(values.history)
const sizes = values.sizes!.split(",").filter((s) => s in SIZES)
const codeSizes = values["code-sizes"]!.split(",").filter((s) => s in CODE_SIZES)
const indexSizes = values["index-sizes"]!.split(",").filter((s) => s in CODE_SIZES)
const work = values.work!
const log = (text: string) => process.stderr.write(`${text}\n`)

type Row = {
  size: string
  parts: number
  dbBytes: number
  results: Record<string, Sample[]>
  /** Sizes of the Markdown and HTML files written. */
  sizes?: { markdown: number; html: number }
  /** Time to the first byte of `--stdout`, per format (ms, one sample per run). */
  firstByte: Record<string, number[]>
}

async function build(name: string, build: (home: Home) => void): Promise<Home> {
  const root = join(work, name)
  rmSync(root, { recursive: true, force: true })
  const home = await runtimeHome(root, RUNTIME.binary)
  const t = performance.now()
  build(home)
  log(`  built ${name} in ${Math.round(performance.now() - t)} ms (${mb(statSync(home.database).size)})`)
  return home
}

function commands(home: Home, sessionID: string, outDir: string): Command[] {
  const base = { cwd: home.project, env: home.env }
  return [
    // The same Bun as the overlay (the one running this script).
    { ...base, label: FLOOR_LABEL, argv: [process.execPath, FLOOR, home.database, sessionID] },
    {
      ...base,
      label: "runtime export (json)",
      argv: [RUNTIME.binary, "export", sessionID],
      // A file, not a pipe: piped, the runtime exits before its output is flushed (seen cut at ~2.6 MB).
      stdoutFile: join(outDir, "runtime.json"),
    },
    { ...base, label: "overlay export --format json", argv: [OVERLAY, "export", sessionID, "--format", "json", "-o", join(outDir, "overlay.json"), "--force"] },
    { ...base, label: "overlay export --format markdown", argv: [OVERLAY, "export", sessionID, "--format", "markdown", "-o", join(outDir, "overlay.md"), "--force"] },
    { ...base, label: "overlay export --format html", argv: [OVERLAY, "export", sessionID, "--format", "html", "-o", join(outDir, "overlay.html"), "--force"] },
  ]
}

async function benchSize(size: string): Promise<Row> {
  const { spec, label } = SIZES[size]!
  log(`\n${label}`)
  let sessionID = ""
  const home = await build(size, (h) => {
    const db = openForWriting(h.database)
    sessionID = insertSession(db, h, spec, 7)
    db.exec("pragma wal_checkpoint(truncate)")
    db.close()
  })
  const parts = partCount(home.database)
  const outDir = join(home.root, "out")
  mkdirSync(outDir, { recursive: true })
  const list = commands(home, sessionID, outDir)
  const results: Record<string, Sample[]> = Object.fromEntries(list.map((c) => [c.label, []]))
  log("  warm-up")
  for (const c of list) await measure(c)
  for (let i = 1; i <= runs; i++) {
    for (const c of list) results[c.label]!.push(await measure(c))
    log(`  run ${i}/${runs}: ${list.map((c) => `${short(c.label)} ${Math.round(results[c.label]!.at(-1)!.ms)} ms`).join(", ")}`)
  }
  const sizes = { markdown: statSync(join(outDir, "overlay.md")).size, html: statSync(join(outDir, "overlay.html")).size }
  const ttfb: Record<string, number[]> = { json: [], markdown: [] }
  for (let i = 1; i <= runs; i++) {
    for (const format of Object.keys(ttfb)) {
      const argv = [OVERLAY, "export", sessionID, "--format", format, "--stdout"]
      ttfb[format]!.push(await firstByte({ label: `overlay export --format ${format} --stdout`, argv, cwd: home.project, env: home.env }))
    }
  }
  log(`  first byte of --stdout: ${Object.entries(ttfb).map(([f, ms]) => `${f} ${Math.round(median(ms))} ms`).join(", ")}`)
  const row = { size, parts, dbBytes: statSync(home.database).size, results, sizes, firstByte: ttfb }
  if (!values.keep) rmSync(home.root, { recursive: true, force: true })
  return row
}

async function benchHistory(): Promise<{ sessions: number; samples: Sample[]; files: number }> {
  log(`\nHistory: ${historySize} sessions of size S`)
  const home = await build("history", (h) => {
    const db = openForWriting(h.database)
    for (let i = 0; i < historySize; i++) insertSession(db, h, SIZES.S!.spec, 1000 + i, 1_790_000_000_000 + i * 3_600_000)
    db.exec("pragma wal_checkpoint(truncate)")
    db.close()
  })
  const samples: Sample[] = []
  let files = 0
  const historyRuns = Math.min(runs, 3)
  for (let i = 0; i < historyRuns; i++) {
    const outDir = join(home.root, `all-${i}`)
    mkdirSync(outDir, { recursive: true })
    samples.push(await measure({ label: "overlay export --all", argv: [OVERLAY, "export", "--all", "-o", outDir], cwd: home.project, env: home.env }))
    files = readdirSync(outDir).length
    log(`  run ${i + 1}/${historyRuns}: ${Math.round(samples.at(-1)!.ms)} ms, ${files} files`)
  }
  if (!values.keep) rmSync(home.root, { recursive: true, force: true })
  return { sessions: historySize, samples, files }
}

type CodeRow = {
  size: string
  parts: number
  dbBytes: number
  planted: number
  /** Planted secrets found in a redacted export (must be none), by file. */
  survived: Record<string, number>
  /** Lines redaction changed without a planted secret in them (must be none). */
  touched: number
  results: Record<string, Sample[]>
}

/**
 * Lines of the `--no-redact` export that the redacted one does not hold, other
 * than those with a planted secret and the lines of a planted key block: what
 * redaction changed that it should not have (the code lines name tokens,
 * keys and passwords on purpose, none of them a secret). The header's rule-set
 * line differs by design.
 */
function lookalikesTouched(plain: string, redacted: string, planted: ReadonlyArray<string>): string[] {
  const kept = new Set(redacted.split("\n"))
  return plain
    .split("\n")
    .filter((line) => !kept.has(line))
    .filter((line) => !planted.some((secret) => line.includes(secret)))
    .filter((line) => !/PRIVATE KEY|^\s*[A-Za-z0-9+/=]{64}\s*$/.test(line))
    .filter((line) => !/redact/i.test(line))
}

/** The redacted exports against `--no-redact` (and the runtime's export) on a code-like session. */
const CODE_FORMATS = [
  { name: "json", args: ["--format", "json"], file: "x.json" },
  { name: "markdown", args: ["--format", "markdown"], file: "x.md" },
  { name: "markdown --tool-details", args: ["--format", "markdown", "--tool-details"], file: "x-details.md" },
  { name: "html --tool-details", args: ["--format", "html", "--tool-details"], file: "x-details.html" },
] as const

/** A code-like database, built once for its exports (`--code-sizes`) and its search index (`--index-sizes`). */
async function benchCodeSize(size: string): Promise<{ code?: CodeRow; index?: IndexRow }> {
  const { spec, label } = CODE_SIZES[size]!
  log(`\n${label}`)
  let sessionID = ""
  const planted: string[] = []
  const home = await build(`code-${size}`, (h) => {
    const db = openForWriting(h.database)
    sessionID = insertSession(db, h, spec, 11, undefined, planted)
    db.exec("pragma wal_checkpoint(truncate)")
    db.close()
  })
  const code = codeSizes.includes(size) ? await benchCode(size, home, sessionID, planted) : undefined
  const index = indexSizes.includes(size)
    ? await benchSearchIndex({ overlay: OVERLAY, runtime: RUNTIME.binary, runs, log }, size, home, sessionID, planted)
    : undefined
  if (!values.keep) rmSync(home.root, { recursive: true, force: true })
  return { ...(code ? { code } : {}), ...(index ? { index } : {}) }
}

async function benchCode(size: string, home: Home, sessionID: string, planted: ReadonlyArray<string>): Promise<CodeRow> {
  const outDir = join(home.root, "out")
  mkdirSync(outDir, { recursive: true })
  const base = { cwd: home.project, env: home.env }
  const list: Command[] = [
    { ...base, label: "runtime export (json)", argv: [RUNTIME.binary, "export", sessionID], stdoutFile: join(outDir, "runtime.json") },
    ...CODE_FORMATS.flatMap((f) => [
      { ...base, label: `${f.name}, redacted`, argv: [OVERLAY, "export", sessionID, ...f.args, "-o", join(outDir, `redacted-${f.file}`), "--force"] },
      { ...base, label: `${f.name}, --no-redact`, argv: [OVERLAY, "export", sessionID, ...f.args, "--no-redact", "-o", join(outDir, `plain-${f.file}`), "--force"] },
    ]),
  ]
  const results: Record<string, Sample[]> = Object.fromEntries(list.map((c) => [c.label, []]))
  log("  warm-up")
  for (const c of list) await measure(c)
  for (let i = 1; i <= runs; i++) {
    for (const c of list) results[c.label]!.push(await measure(c))
    log(`  run ${i}/${runs}: ${list.map((c) => `${c.label.replace("runtime export (json)", "runtime")} ${Math.round(results[c.label]!.at(-1)!.ms)} ms`).join(", ")}`)
  }
  // The check: no planted secret survives any redacted export, as written or JSON-escaped; the control: the
  // --no-redact JSON export holds every one of them.
  const survived: Record<string, number> = {}
  for (const f of CODE_FORMATS) {
    const text = readFileSync(join(outDir, `redacted-${f.file}`), "utf8")
    survived[f.name] = planted.filter((secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))).length
  }
  const plain = readFileSync(join(outDir, "plain-x.json"), "utf8")
  const inPlain = planted.filter((secret) => plain.includes(secret)).length
  if (inPlain !== planted.length) throw new Error(`the --no-redact export holds ${inPlain} of ${planted.length} planted secrets: the check would not see a leak`)
  log(`  planted ${planted.length} secrets; in the redacted exports: ${Object.entries(survived).map(([f, n]) => `${f} ${n}`).join(", ")}`)
  const touched = lookalikesTouched(
    readFileSync(join(outDir, "plain-x-details.md"), "utf8"),
    readFileSync(join(outDir, "redacted-x-details.md"), "utf8"),
    planted,
  )
  log(`  lines changed by redaction that hold no planted secret (look-alikes touched): ${touched.length}${touched.length ? `, e.g. ${JSON.stringify(touched[0])}` : ""}`)
  return { size, parts: partCount(home.database), dbBytes: statSync(home.database).size, planted: planted.length, survived, touched: touched.length, results }
}

function codeReport(rows: ReadonlyArray<CodeRow>): string[] {
  if (rows.length === 0) return []
  const lines = [
    "",
    "## Redaction on code-like sessions",
    "",
    "Tool output of code and logs that name tokens, keys, secrets, passwords and accounts on most lines (every line",
    "its own, with look-alikes of passwords: `password_hash`, `-p 8080:80`, `--password-file`, URL-encoded queries), and in",
    "every 25th output a secret: a token of a real format (GitHub, AWS, Stripe, Slack, GitLab, npm), a dictionary-like",
    "`DB_PASSWORD=…`, `mysql -p…`, `--registry-password=…`, a URL-encoded connection string, or a private key cut short.",
    "Each format redacted against the same with `--no-redact` (issue 24's target: at most 1.3×), and against the runtime's",
    "own export (targets on M: JSON at least 5× faster, Markdown with tool details at least 3.5×). Look-alikes touched:",
    "lines of the Markdown with tool details that redaction changed and that hold no planted secret (must be 0).",
    "",
    "| size | parts | format | redacted | --no-redact | redacted vs --no-redact | redacted vs runtime | planted secrets left | look-alikes touched |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|",
  ]
  for (const row of rows) {
    const rt = median(row.results["runtime export (json)"]!.map((s) => s.ms))
    lines.push(`| ${row.size} | ${row.parts.toLocaleString("en")} | runtime export (json) | ${secs(rt)} | | | 1× | | |`)
    for (const f of CODE_FORMATS) {
      const red = median(row.results[`${f.name}, redacted`]!.map((s) => s.ms))
      const plain = median(row.results[`${f.name}, --no-redact`]!.map((s) => s.ms))
      lines.push(
        `| ${row.size} | ${row.parts.toLocaleString("en")} | ${f.name} | ${secs(red)} | ${secs(plain)} | ${(red / plain).toFixed(2)}× | ${(rt / red).toFixed(1)}× faster | ${row.survived[f.name]} of ${row.planted} | ${f.name === "markdown --tool-details" ? row.touched : ""} |`,
      )
    }
  }
  return lines
}


const short = (label: string) => label.replace("overlay export --format ", "").replace("runtime export (json)", "runtime")

function report(rows: Row[], history: Awaited<ReturnType<typeof benchHistory>> | undefined): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU"
  const lines = [
    "# Benchmarks: session export",
    "",
    `Measured by \`bun run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}), ${mb(totalmem())} RAM, ${process.platform} ${process.arch}, Bun ${Bun.version}.`,
    `Runtime: opencode-ai ${RUNTIME.version} (\`${RUNTIME.platformPackage}\`). Overlay: ${OVERLAY_VERSION}.`,
    "",
    "Each command runs as a whole process (start-up included), after one warm-up, interleaved with the others,",
    `${runs} times; the table gives the median wall time and the median peak resident memory (maxRSS).`,
    "",
    "Commands, in the benchmark home (HOME and XDG folders pointing at it):",
    "",
    "- runtime: `opencode-linux-x64/bin/opencode export <id> > runtime.json` (the runtime's own JSON export)",
    "- overlay json: `packages/opencode/bin/opencode export <id> --format json -o overlay.json --force`",
    "- overlay markdown: `packages/opencode/bin/opencode export <id> --format markdown -o overlay.md --force`",
    "- overlay html: `packages/opencode/bin/opencode export <id> --format html -o overlay.html --force`",
    "- floor: `bun scripts/bench/floor.ts <database> <id>`: reads the rows an export reads (the session, its subagent",
    "  sessions, their messages and parts) and `JSON.parse`s each, nothing more; \"wall vs floor\" is a command's time",
    "  as a multiple of it (issue 14's target: at most 2× for every export)",
    "",
    "| size | parts | database | command | wall (median) | peak RSS (median) | wall vs runtime | memory vs runtime | wall vs floor |",
    "|---|---:|---:|---|---:|---:|---:|---:|---:|",
  ]
  for (const row of rows) {
    const runtimeLabel = "runtime export (json)"
    const rt = row.results[runtimeLabel]!
    const rtMs = median(rt.map((s) => s.ms))
    const rtRss = median(rt.map((s) => s.rssBytes))
    const floorMs = median(row.results[FLOOR_LABEL]!.map((s) => s.ms))
    for (const [label, samples] of Object.entries(row.results)) {
      const ms = median(samples.map((s) => s.ms))
      const rss = median(samples.map((s) => s.rssBytes))
      const speed = label === runtimeLabel ? "1×" : `${(rtMs / ms).toFixed(1)}× faster`
      const memory = label === runtimeLabel ? "1×" : `${(rss / rtRss).toFixed(2)}×`
      const floor = label === FLOOR_LABEL ? "1×" : `${(ms / floorMs).toFixed(2)}×`
      lines.push(`| ${row.size} | ${row.parts.toLocaleString("en")} | ${mb(row.dbBytes)} | ${short(label)} | ${secs(ms)} | ${mb(rss)} | ${speed} | ${memory} | ${floor} |`)
    }
  }
  const htmlLines = rows.flatMap((row) => {
    const md = row.results["overlay export --format markdown"]
    const html = row.results["overlay export --format html"]
    if (!md || !html || !row.sizes) return []
    const ratio = median(html.map((s) => s.ms)) / median(md.map((s) => s.ms))
    return [`- ${row.size}: HTML takes ${ratio.toFixed(2)}× the Markdown's time; its file is ${(row.sizes.html / row.sizes.markdown).toFixed(2)}× the Markdown's size.`]
  })
  if (htmlLines.length > 0) lines.push("", "HTML against Markdown (targets: at most 1.3× the time and 1.5× the size):", "", ...htmlLines)
  lines.push(
    "",
    "Time to the first byte of `opencode export <id> --format <format> --stdout` (median; the process start included):",
    "",
    ...rows.map((row) => `- ${row.size}: ${Object.entries(row.firstByte).map(([format, ms]) => `${format} ${secs(median(ms))}`).join(", ")}`),
  )
  if (history) {
    const ms = median(history.samples.map((s) => s.ms))
    const rss = median(history.samples.map((s) => s.rssBytes))
    lines.push(
      "",
      `History: \`opencode export --all -o <dir>\` over ${history.sessions.toLocaleString("en")} sessions of size S wrote ${history.files.toLocaleString("en")} files in ${secs(ms)} (median of ${history.samples.length}), peak RSS ${mb(rss)}.`,
    )
  }
  lines.push(
    "",
    "Targets: S and M at least 10× faster than the runtime, L at least 6×, each export within 2× of the floor, with at",
    "most ¼ of the runtime's peak memory; the 1,000-session history under 5 s on 2 cores; time to first byte of",
    "`--stdout` on L under 0.3 s. See the notes below for any target missed.",
    "",
    "## Reproduce",
    "",
    "```sh",
    "npx -y bun@1.4.5 run bench                      # all sizes, 5 runs, 1,000-session history",
    "npx -y bun@1.4.5 run bench -- --sizes S,M --runs 3 --history 100",
    "npx -y bun@1.4.5 run bench -- --sizes none --history 0 --code-sizes S,M --index-sizes none   # only the code-like exports",
    "npx -y bun@1.4.5 run bench -- --sizes none --history 0 --code-sizes none --index-sizes M,L --runs 3   # only the search index",
    "```",
    "",
    "The databases are built in `.bench/` (the pinned runtime creates each empty database, then the script inserts",
    "deterministic rows: user and assistant messages, text, reasoning, bash calls with outputs from 1 KB to 1 MB,",
    "failed calls, step parts, and subagent sessions started by task calls) and removed afterwards (`--keep` keeps them).",
    "",
  )
  return lines.join("\n")
}

mkdirSync(work, { recursive: true })
const rows: Row[] = []
for (const size of sizes) rows.push(await benchSize(size))
const history = historySize > 0 ? await benchHistory() : undefined
const codeRows: CodeRow[] = []
const indexRows: IndexRow[] = []
for (const size of Object.keys(CODE_SIZES).filter((s) => codeSizes.includes(s) || indexSizes.includes(s))) {
  const { code, index } = await benchCodeSize(size)
  if (code) codeRows.push(code)
  if (index) indexRows.push(index)
}
const fresh = [
  ...(rows.length > 0 || history ? report(rows, history).split(/\n(?=## )/) : []),
  ...(codeRows.length > 0 ? [codeReport(codeRows).join("\n").replace(/^\n/, "")] : []),
  ...(indexRows.length > 0 ? [indexReport(indexRows).join("\n").replace(/^\n/, "")] : []),
].map((section) => `${section.replace(/\n*$/, "")}\n`)
const out = values.out!
const text = mergeSections(existsSync(out) ? readFileSync(out, "utf8") : undefined, fresh)
await Bun.write(out, text)
log(`\nwrote ${out}`)
process.stdout.write(text)
