/**
 * A real PostgreSQL server for a test file: Debian's `postgresql` package
 * (installed by the test command where it is missing), a fresh cluster in a
 * temporary folder on a free loopback port, trust authentication for the
 * `postgres` user on loopback only. PostgreSQL refuses to run as root, so as
 * root the cluster belongs to `nobody` and runs as it. Stopped and removed by
 * `stop` (and when the test process exits).
 */
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AS_ROOT, unprivileged } from "./unprivileged.ts"
import { freePort } from "./oidc-issuer.ts"

export type RunningPostgres = { readonly url: string; readonly stop: () => Promise<void> }

/** The newest installed server's programs (`/usr/lib/postgresql/<version>/bin`), or undefined. */
export function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], "bin") : undefined
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBin()
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (the test command, bun run test, does)")
  const dir = mkdtempSync(join(tmpdir(), "overlay-postgres-"))
  chmodSync(dir, 0o755)
  const data = join(dir, "data")
  if (AS_ROOT) chownSync(dir, 65534, 65534)
  const init = Bun.spawnSync(unprivileged([join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]), { stdout: "pipe", stderr: "pipe" })
  if (init.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`initdb failed (exit ${init.exitCode}): ${init.stderr.toString()}`)
  }
  const port = freePort()
  const server = Bun.spawn(
    unprivileged([join(bin, "postgres"), "-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]),
    { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  )
  const logs = new Response(server.stderr).text()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const stop = async () => {
    server.kill("SIGINT")
    await server.exited
    rmSync(dir, { recursive: true, force: true })
  }
  process.on("exit", () => {
    try {
      server.kill("SIGKILL")
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  })
  // Ready when it accepts a connection (pg_isready's answer), or failed when it exits.
  const deadline = Date.now() + 30_000
  for (;;) {
    const ready = Bun.spawnSync([join(bin, "pg_isready"), "-h", "127.0.0.1", "-p", String(port), "-U", "postgres"], { stdout: "ignore", stderr: "ignore" })
    if (ready.exitCode === 0) return { url, stop }
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop().catch(() => {})
      throw new Error(`PostgreSQL did not start: ${await logs}`)
    }
    await Bun.sleep(100)
  }
}
