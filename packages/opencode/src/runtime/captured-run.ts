/**
 * A runtime command run to completion with its output captured (`opencode
 * import <file>`, `opencode session delete <id>`), in the environment the
 * caller gives (the share guard's). Its own process group, stopped whole if
 * the caller is interrupted.
 */
import * as Effect from "effect/Effect"
import type { Env } from "../config/env.ts"
import { RuntimeSpawnFailed } from "./errors.ts"
import { prepareStart } from "./prepare.ts"
import { signalGroup } from "./server.ts"
import { Runtime } from "./service.ts"

/** What a process that ran to completion left: its exit code and everything it wrote. */
export type ProcessOutput = { readonly code: number; readonly stdout: string; readonly stderr: string }

export const runCaptured = (
  args: ReadonlyArray<string>,
  options: { readonly env: Env; readonly cwd: string },
): Effect.Effect<ProcessOutput, RuntimeSpawnFailed, Runtime> =>
  Effect.gen(function* () {
    const runtime = yield* Runtime
    const binary = runtime.location.binary
    const start = prepareStart(options.cwd, options.env)
    for (const warning of start.warnings) process.stderr.write(warning)
    return yield* Effect.acquireUseRelease(
      Effect.try({
        try: () =>
          Bun.spawn([binary, ...args], { cwd: options.cwd, env: start.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true }),
        catch: (cause) => new RuntimeSpawnFailed({ binary, message: `Could not start the runtime at ${binary}: ${String(cause)}` }),
      }),
      (proc) =>
        Effect.promise(async () => {
          const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
          return { code, stdout, stderr }
        }),
      (proc) => Effect.sync(() => (proc.exitCode === null && proc.signalCode === null ? signalGroup(proc.pid, "SIGTERM") : undefined)),
    )
  })
