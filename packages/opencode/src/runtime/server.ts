import { randomBytes } from "node:crypto"
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import { RuntimeSpawnFailed } from "./errors.ts"
import { prepareStart } from "./prepare.ts"
import { Runtime } from "./service.ts"

export type RuntimeServer = {
  readonly url: string
  readonly client: OpencodeClient
  /** `Authorization` header value for requests made without the client. */
  readonly authorization: string
}

export type ServerOptions = {
  readonly env: Record<string, string | undefined>
  readonly cwd: string
  /** Extra runtime options, such as `--print-logs`. */
  readonly args?: ReadonlyArray<string>
  /** How long to wait for the runtime to say where it listens. */
  readonly startTimeoutMs?: number
}

const USERNAME = "opencode"

/**
 * A private `opencode serve` on a free loopback port, protected by a random
 * password only this process knows, stopped when the scope closes.
 */
export const startRuntimeServer = (
  options: ServerOptions,
): Effect.Effect<RuntimeServer, RuntimeSpawnFailed, Runtime | Scope.Scope> =>
  Effect.gen(function* () {
    const runtime = yield* Runtime
    const binary = runtime.location.binary
    const password = randomBytes(24).toString("base64url")
    const start = prepareStart(options.cwd, options.env)
    for (const warning of start.warnings) process.stderr.write(warning)
    const proc = yield* Effect.acquireRelease(
      Effect.sync(() =>
        Bun.spawn([binary, "serve", "--port", "0", "--hostname", "127.0.0.1", ...(options.args ?? [])], {
          cwd: options.cwd,
          env: { ...start.env, OPENCODE_SERVER_PASSWORD: password, OPENCODE_SERVER_USERNAME: USERNAME },
          stdin: "ignore",
          stdout: "pipe",
          stderr: "pipe",
          // Its own process group, so stopping it also stops whatever it started (tool shells, LSPs).
          detached: true,
        }),
      ),
      (p) =>
        Effect.promise(async () => {
          signalGroup(p.pid, "SIGTERM")
          const exited = await Promise.race([p.exited.then(() => true), Bun.sleep(5000).then(() => false)])
          signalGroup(p.pid, exited ? "SIGTERM" : "SIGKILL")
        }),
    )
    const url = yield* Effect.tryPromise({
      try: () => listeningUrl(proc, options.startTimeoutMs ?? 60_000),
      catch: (cause) =>
        new RuntimeSpawnFailed({ binary, message: `The runtime server did not start: ${String((cause as Error).message ?? cause)}` }),
    })
    const authorization = `Basic ${Buffer.from(`${USERNAME}:${password}`).toString("base64")}`
    const client = createOpencodeClient({ baseUrl: url, headers: { Authorization: authorization } })
    return { url, client, authorization }
  })

/** Signals the process group led by `pid`; a group already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {}
}

async function listeningUrl(proc: Bun.Subprocess<"ignore", "pipe", "pipe">, timeoutMs: number): Promise<string> {
  const reader = proc.stdout.getReader()
  const decoder = new TextDecoder()
  let seen = ""
  const timeout = Bun.sleep(timeoutMs).then(() => ({ done: true, value: undefined, timedOut: true }) as const)
  while (true) {
    const next = await Promise.race([reader.read(), timeout])
    if (next.done) {
      const stderr = await Promise.race([new Response(proc.stderr).text(), Bun.sleep(500).then(() => "")])
      throw new Error(`${"timedOut" in next ? `no answer in ${timeoutMs} ms` : "it exited"}. ${stderr.trim()}`.trim())
    }
    seen += decoder.decode(next.value, { stream: true })
    const url = seen.match(/https?:\/\/127\.0\.0\.1:\d+/)?.[0]
    if (url) {
      reader.releaseLock()
      // Keep draining so a chatty runtime never blocks on a full pipe.
      void proc.stdout.pipeTo(new WritableStream()).catch(() => {})
      void proc.stderr.pipeTo(new WritableStream()).catch(() => {})
      return url
    }
  }
}
