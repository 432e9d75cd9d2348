/**
 * `bun run bench:start`: how long a start takes in a new user's home, through
 * the overlay and bare, with the package registry unreachable (a closed
 * loopback port) and reachable (the configured registry, cold npm cache).
 * Each start runs in a fresh home (nothing installed in its config folder),
 * then once more in the same home. Writes the "## First start" section of
 * BENCHMARKS.md. Options: --runs 3  --online (also measure with the registry reachable)
 */
import { existsSync, readFileSync } from "node:fs"
import { cpus } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { turn } from "../test/support/mock-llm.ts"
import { createSandbox, RUNTIME, type Sandbox, type Via } from "../test/support/sandbox.ts"
import { startTui, Tmux } from "../test/support/tmux.ts"
import { median } from "./bench/measure.ts"

const ROOT = resolve(import.meta.dir, "..")
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    online: { type: "boolean", default: false },
    out: { type: "string", default: join(ROOT, "BENCHMARKS.md") },
  },
})
const runs = Number(values.runs)
const log = (text: string) => process.stderr.write(`${text}\n`)

type Registry = { readonly label: string; readonly env: (sandbox: Sandbox) => Record<string, string> }
const REGISTRIES: Registry[] = [
  { label: "unreachable", env: () => ({ npm_config_registry: "http://127.0.0.1:9/" }) },
  ...(values.online ? [{ label: "reachable, cold npm cache", env: (s: Sandbox) => ({ npm_config_cache: join(s.root, "npm-cache") }) }] : []),
]

type Start = { readonly label: string; readonly time: (sandbox: Sandbox, via: Via, env: Record<string, string>) => Promise<number> }

/** From spawn to the first `GET /session` answered 200. */
const serve: Start = {
  label: "serve until GET /session = 200",
  time: async (sandbox, via, env) => {
    const t = performance.now()
    const server = await sandbox.serve({ via, env, timeoutMs: 180_000 })
    try {
      while (true) {
        const ok = await fetch(`${server.url}/session`, { signal: AbortSignal.timeout(5000) })
          .then((r) => r.status === 200)
          .catch(() => false)
        if (ok) return performance.now() - t
        if (performance.now() - t > 180_000) throw new Error("serve never answered")
        await Bun.sleep(50)
      }
    } finally {
      await server.stop()
    }
  },
}

/** A whole `opencode run` with a one-line answer. */
const run: Start = {
  label: "run (one answer, whole process)",
  time: async (sandbox, via, env) => {
    const t = performance.now()
    const result = await sandbox.prompt("hi", [turn.text("Hi.")], { via, env, timeoutMs: 180_000 })
    if (result.code !== 0) throw new Error(`run exited ${result.code}: ${result.stderr.slice(-500)}`)
    return performance.now() - t
  },
}

/** From spawn to the TUI's first screen (its status bar). */
const tui: Start = {
  label: "TUI until its first screen",
  time: async (sandbox, via, env) => {
    const t = performance.now()
    const screen = await startTui(sandbox, [], { via, env })
    const ms = performance.now() - t
    await screen.kill()
    return ms
  },
}

const starts = [serve, run, ...(Tmux.available() ? [tui] : [])]
type Row = { registry: string; start: string; via: Via; first: number[]; again: number[] }
const rows: Row[] = []

for (const registry of REGISTRIES) {
  for (const start of starts) {
    for (const via of ["bare", "overlay"] as const) {
      const row: Row = { registry: registry.label, start: start.label, via, first: [], again: [] }
      for (let i = 0; i < runs; i++) {
        const sandbox = await createSandbox({ prefix: "bench-start-" })
        try {
          const env = registry.env(sandbox)
          row.first.push(await start.time(sandbox, via, env))
          row.again.push(await start.time(sandbox, via, env))
        } finally {
          await sandbox.dispose()
        }
      }
      log(`${registry.label} · ${start.label} · ${via}: first ${secs(median(row.first))}, again ${secs(median(row.again))}`)
      rows.push(row)
    }
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

const lines = [
  "## First start",
  "",
  `Measured by \`bun run bench:start\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Bun ${Bun.version}, runtime opencode-ai ${RUNTIME.version}.`,
  `Each start runs in a fresh home (HOME and XDG folders new, nothing in the config folder), then again in the same home;`,
  `median of ${runs} homes. "unreachable": \`npm_config_registry\` at a closed loopback port.`,
  "",
  "| registry | start | bare runtime: first | overlay: first | bare: again | overlay: again | overlay − bare (first) |",
  "|---|---|---:|---:|---:|---:|---:|",
]
for (const registry of REGISTRIES) {
  for (const start of starts) {
    const bare = rows.find((r) => r.registry === registry.label && r.start === start.label && r.via === "bare")!
    const overlay = rows.find((r) => r.registry === registry.label && r.start === start.label && r.via === "overlay")!
    const delta = Math.round((median(overlay.first) - median(bare.first)) / 100) / 10
    lines.push(
      `| ${registry.label} | ${start.label} | ${secs(median(bare.first))} | ${secs(median(overlay.first))} | ${secs(median(bare.again))} | ${secs(median(overlay.again))} | ${delta > 0 ? "+" : delta < 0 ? "−" : "±"}${Math.abs(delta).toFixed(1)} s |`,
    )
  }
}
lines.push(
  "",
  "Before the overlay prepared the config folders itself (it links its own copy of `@opencode-ai/plugin`, see",
  "`packages/opencode/src/runtime/plugin-deps.ts`), a serve through the overlay with the registry unreachable took 72 s",
  "until `GET /session` answered, on every start (measured on 2026-11-30 on this machine; issue #10 reported 71 s for",
  "the TUI with the registry reachable): the runtime installs that package before it loads any plugin.",
  "The test `test/e2e/first-start.test.ts` checks that these starts ask the registry nothing; it asserts no time.",
  "",
)
const section = lines.join("\n")
const out = values.out!
const current = existsSync(out) ? readFileSync(out, "utf8") : ""
const at = current.indexOf("\n## First start")
const next = at === -1 ? -1 : current.indexOf("\n## ", at + 1)
const updated =
  at === -1 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, at)}\n${section}${next === -1 ? "" : current.slice(next)}`
await Bun.write(out, updated)
log(`wrote ${out}`)
process.stdout.write(section)
