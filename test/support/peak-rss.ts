/**
 * Runs a command and writes its peak resident memory (bytes) to a file:
 * `bun peak-rss.ts <out-file> <command> [args…]`. Its stdout and stderr pass
 * through. A separate process because inside `bun test` a child's
 * `resourceUsage()` reported the largest of all children so far, not its own.
 */
import { writeFileSync } from "node:fs"

const [out, ...argv] = process.argv.slice(2)
if (!out || argv.length === 0) {
  process.stderr.write("usage: bun peak-rss.ts <out-file> <command> [args…]\n")
  process.exit(2)
}
const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "inherit", stderr: "inherit" })
const code = await proc.exited
writeFileSync(out, JSON.stringify({ code, rss: proc.resourceUsage()?.maxRSS ?? 0 }))
process.exit(code)
