/**
 * The team share server (`opencode share-server`) as a test runs it: a real
 * process of the overlay's command, in a sandbox's home, on a free port; its
 * URL read from what it prints. Member tokens come from its own command line.
 */
import type { Subprocess } from "bun"
import { drain, readUntil } from "./read-until.ts"
import type { Sandbox } from "./sandbox.ts"

export type RunningShareServer = {
  readonly url: string
  readonly pid: number
  readonly stop: () => Promise<void>
}

/** `port`: 0 for a free one; a server started again on its old port keeps its address (the origin tokens are kept under). */
export async function startShareServer(sandbox: Sandbox, args: ReadonlyArray<string> = [], port = 0): Promise<RunningShareServer> {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(sandbox.command(["share-server", "--port", String(port), ...args]), {
    cwd: sandbox.project,
    env: sandbox.env(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const stderr = new Response(proc.stderr).text()
  const reader = proc.stdout.getReader()
  const { match, seen, why } = await readUntil(reader, /listening on (http:\/\/\S+)/)
  if (!match) {
    proc.kill()
    throw new Error(`the share server did not say where it listens (${why === "late" ? "30 s" : `exit ${await proc.exited}`}): ${seen}${await stderr}`)
  }
  drain(reader)
  const url = match[1]!
  return {
    url,
    pid: proc.pid,
    stop: async () => {
      proc.kill()
      await proc.exited
    },
  }
}

/** A member token for `email`, printed by `share-server token create`. */
export async function memberToken(sandbox: Sandbox, email: string, args: ReadonlyArray<string> = []): Promise<string> {
  const out = await sandbox.run(["share-server", "token", "create", "--user", email, ...args])
  if (out.code !== 0) throw new Error(`token create exited with ${out.code}: ${out.stderr}`)
  return out.stdout.trim()
}
