/** Times whole processes: wall time and peak resident memory. */
import { readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const PEAK_RSS = join(import.meta.dir, "../../test/support/peak-rss.ts")
let measured = 0

export type Sample = { readonly ms: number; readonly rssBytes: number; readonly code: number | null }

export type Command = {
  readonly label: string
  readonly argv: ReadonlyArray<string>
  readonly cwd: string
  readonly env: Record<string, string>
  /** Where stdout goes: a file (as `> file` in a shell would), or nowhere. */
  readonly stdoutFile?: string
}

/**
 * Runs a command through `test/support/peak-rss.ts`, which reports the
 * command's own wall time and peak memory: Bun's `resourceUsage()` of a child
 * spawned after a larger one reports more than the child's own peak.
 */
export async function measure(command: Command): Promise<Sample> {
  const report = join(tmpdir(), `bench-peak-${process.pid}-${++measured}.json`)
  const proc = Bun.spawn([process.execPath, PEAK_RSS, report, ...command.argv], {
    cwd: command.cwd,
    env: command.env,
    stdin: "ignore",
    stdout: command.stdoutFile ? Bun.file(command.stdoutFile) : "ignore",
    stderr: "pipe",
  })
  const stderr = new Response(proc.stderr).text()
  const code = await proc.exited
  if (code !== 0) throw new Error(`${command.label} exited with ${code}: ${(await stderr).slice(-2000)}`)
  const { rss, ms } = JSON.parse(readFileSync(report, "utf8")) as { rss: number; ms: number }
  rmSync(report, { force: true })
  return { ms, rssBytes: rss, code }
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Time from the start of a process until its first byte on stdout (the rest is read and dropped). */
export async function firstByte(command: Command): Promise<number> {
  const start = performance.now()
  const proc = Bun.spawn([...command.argv], { cwd: command.cwd, env: command.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const stderr = new Response(proc.stderr).text()
  let first: number | undefined
  const reader = proc.stdout.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (first === undefined && next.value.byteLength > 0) first = performance.now() - start
  }
  const code = await proc.exited
  if (code !== 0) throw new Error(`${command.label} exited with ${code}: ${(await stderr).slice(-2000)}`)
  if (first === undefined) throw new Error(`${command.label} wrote nothing`)
  return first
}

/** A size as the reports write it. */
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`
/** A time as the reports write it. */
export const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`)
