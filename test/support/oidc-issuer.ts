/**
 * The test OpenID provider (`oidc-issuer-main.ts`) as a process: started on a
 * port chosen before the share server (whose redirect URI it must know), its
 * issuer URL read from what it prints.
 */
import { join } from "node:path"
import type { Subprocess } from "bun"
import { drain, readUntil } from "./read-until.ts"

export type RunningIssuer = { readonly url: string; readonly stop: () => Promise<void> }

/** A free loopback port: bound, read, released (the caller binds it next). */
export function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null) })
  const port = probe.port!
  probe.stop(true)
  return port
}

export async function startIssuer(options: { port: number; clientId: string; clientSecret: string; redirectUri: string }): Promise<RunningIssuer> {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(
    [process.execPath, join(import.meta.dir, "oidc-issuer-main.ts"), String(options.port), options.clientId, options.clientSecret, options.redirectUri],
    { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NODE_ENV: "test" } },
  )
  const stderr = new Response(proc.stderr).text()
  const reader = proc.stdout.getReader()
  const { match, seen } = await readUntil(reader, /issuer (http:\/\/\S+)/)
  if (!match) {
    proc.kill()
    throw new Error(`the OpenID provider did not start: ${seen}${await stderr}`)
  }
  drain(reader)
  return {
    url: match[1]!,
    stop: async () => {
      proc.kill()
      await proc.exited
    },
  }
}
