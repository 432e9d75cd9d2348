/**
 * Runs a command and writes its peak resident memory (bytes) and wall time
 * (ms, from its spawn to its exit) to a file as JSON:
 * `bun peak-rss.ts <out-file> <command> [args…]`. Its stdout and stderr pass
 * through. A separate process because Bun's `resourceUsage()` of a child
 * spawned after a larger one reports more than the child's own peak (seen
 * in `bun test` and in a plain script: 23 MiB for `bun -e 1`, 251 MiB for
 * the same after a 308 MiB child); here the command is the only child.
 * The benchmark (`scripts/bench/measure.ts`) measures through it too.
 */
import { writeFileSync } from "node:fs"

const [out, ...argv] = process.argv.slice(2)
if (!out || argv.length === 0) {
  process.stderr.write("usage: bun peak-rss.ts <out-file> <command> [args…]\n")
  process.exit(2)
}
const start = performance.now()
const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "inherit", stderr: "inherit" })
const code = await proc.exited
const ms = performance.now() - start
writeFileSync(out, JSON.stringify({ code, rss: proc.resourceUsage()?.maxRSS ?? 0, ms }))
process.exit(code)
