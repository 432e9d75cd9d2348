/**
 * The overlay's own CLI (`packages/opencode/bin/opencode`) as a subprocess.
 * Session commands run through it so that what the TUI or the server writes
 * is byte for byte what `opencode export …` writes, and so that the caller
 * (the runtime's TUI process, for one) loads none of the export machinery.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ExitCode } from "../errors/exit-codes.ts"
import { outcomeOfExit } from "../errors/table.ts"
import { CommandFailed, type CliCommand } from "./errors.ts"
import { packageFile } from "../package-files.ts"
import type { ProcessOutput } from "../runtime/captured-run.ts"

/** Absolute path of the overlay's executable. */
export const OVERLAY_BIN = packageFile("bin", "opencode")


export type CliOptions = {
  /** Working directory: the project the command is about. */
  readonly cwd: string
  /** Environment of the subprocess; defaults to the layer's. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 120_000

export class OverlayCli extends Context.Service<
  OverlayCli,
  {
    readonly bin: string
    /** Runs `opencode <args>` to completion; stdin is closed, never the caller's terminal. */
    readonly run: (command: CliCommand, args: ReadonlyArray<string>, options: CliOptions) => Effect.Effect<ProcessOutput, CommandFailed>
  }
>()("overlay/OverlayCli") {
  static readonly layer = (
    bin: string = OVERLAY_BIN,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): Layer.Layer<OverlayCli> => Layer.succeed(OverlayCli, OverlayCli.of({ bin, run: run(bin, env) }))
}

const run =
  (bin: string, baseEnv: Readonly<Record<string, string | undefined>>) =>
  (command: CliCommand, args: ReadonlyArray<string>, options: CliOptions): Effect.Effect<ProcessOutput, CommandFailed> =>
    Effect.callback<ProcessOutput, CommandFailed>((resume) => {
      const fail = (message: string) => resume(Effect.fail(new CommandFailed({ command, outcome: outcomeOfExit(ExitCode.runtimeFailed), message })))
      let proc: Bun.Subprocess<"ignore", "pipe", "pipe">
      try {
        proc = Bun.spawn([bin, ...args], {
          cwd: options.cwd,
          env: { ...(options.env ?? baseEnv) },
          stdin: "ignore",
          stdout: "pipe",
          stderr: "pipe",
        })
      } catch (cause) {
        fail(`Could not start ${bin}: ${cause instanceof Error ? cause.message : String(cause)}`)
        return
      }
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        proc.kill("SIGKILL")
      }, timeoutMs)
      Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(
        ([stdout, stderr, code]) => {
          clearTimeout(timer)
          if (timedOut) return fail(`opencode ${args[0] ?? ""} did not finish in ${Math.round(timeoutMs / 1000)} s and was stopped.`)
          if (proc.signalCode) return fail(`opencode ${args[0] ?? ""} was stopped by ${proc.signalCode}.`)
          resume(Effect.succeed({ code, stdout, stderr }))
        },
        (cause) => {
          clearTimeout(timer)
          fail(`opencode ${args[0] ?? ""} failed: ${String(cause)}`)
        },
      )
      // Interrupted (the TUI closed, a request was cancelled): stop the subprocess too.
      return Effect.sync(() => {
        clearTimeout(timer)
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM")
      })
    })
