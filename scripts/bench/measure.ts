/** Times whole processes: wall time and peak resident memory (from wait4's rusage). */

export type Sample = { readonly ms: number; readonly rssBytes: number; readonly code: number | null }

export type Command = {
  readonly label: string
  readonly argv: ReadonlyArray<string>
  readonly cwd: string
  readonly env: Record<string, string>
  /** Where stdout goes: a file (as `> file` in a shell would), or nowhere. */
  readonly stdoutFile?: string
}

export async function measure(command: Command): Promise<Sample> {
  const start = performance.now()
  const proc = Bun.spawn([...command.argv], {
    cwd: command.cwd,
    env: command.env,
    stdin: "ignore",
    stdout: command.stdoutFile ? Bun.file(command.stdoutFile) : "ignore",
    stderr: "pipe",
  })
  const stderr = new Response(proc.stderr).text()
  const code = await proc.exited
  const ms = performance.now() - start
  if (code !== 0) throw new Error(`${command.label} exited with ${code}: ${(await stderr).slice(-2000)}`)
  // Bun reports maxRSS in bytes.
  return { ms, rssBytes: proc.resourceUsage()?.maxRSS ?? 0, code }
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
