import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { RuntimeNotFound, RuntimeSpawnFailed } from "./errors.ts"
import { locateRuntime, type RuntimeLocation } from "./locate.ts"
import { prepareStart } from "./prepare.ts"

/** How a runtime process ended: its exit code, or the signal that stopped it. */
export type ExitStatus = { readonly code: number } | { readonly signal: NodeJS.Signals }

/**
 * Where process signals come from: subscribes `handler` to `signals` and
 * returns how to unsubscribe. Only entry points touch the process's signals;
 * they hand a source to what needs one.
 */
export type SignalSource = (signals: ReadonlyArray<NodeJS.Signals>, handler: (signal: NodeJS.Signals) => void) => () => void

export type LaunchOptions = {
  /** The complete environment of the child; defaults to this process's. */
  readonly env?: Record<string, string | undefined>
  readonly cwd?: string
  /** The project the runtime will load (`opencode <dir>`, `--dir`); defaults to `cwd`. */
  readonly directory?: string
  /**
   * The signals to hand on to the runtime (see `FORWARDED`). The terminal
   * already sends Ctrl-C to the whole foreground group; forwarding covers
   * `kill <overlay pid>` from a supervisor, which would otherwise orphan the runtime.
   */
  readonly signals?: SignalSource
}

/** Signals the overlay hands on to a foreground runtime, which decides what they mean (Ctrl-C in the TUI does not quit it). */
export const FORWARDED: ReadonlyArray<NodeJS.Signals> = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"]

export class Runtime extends Context.Service<
  Runtime,
  {
    readonly location: RuntimeLocation
    /**
     * Runs the runtime in the foreground: it inherits stdin, stdout, stderr and
     * so the TTY; the signals of `options.signals` reach it.
     */
    readonly foreground: (
      args: ReadonlyArray<string>,
      options?: LaunchOptions,
    ) => Effect.Effect<ExitStatus, RuntimeSpawnFailed>
  }
>()("overlay/Runtime") {
  static readonly layer: Layer.Layer<Runtime, RuntimeNotFound> = Layer.effect(
    Runtime,
    Effect.map(locateRuntime(), (location) => Runtime.of({ location, foreground: foreground(location) })),
  )
}

const foreground =
  (location: RuntimeLocation) =>
  (args: ReadonlyArray<string>, options: LaunchOptions = {}): Effect.Effect<ExitStatus, RuntimeSpawnFailed> =>
    Effect.callback<ExitStatus, RuntimeSpawnFailed>((resume) => {
      const cwd = options.cwd ?? process.cwd()
      const start = prepareStart(options.directory ?? cwd, options.env ?? process.env)
      for (const warning of start.warnings) process.stderr.write(warning)
      let child: ReturnType<typeof Bun.spawn>
      try {
        child = Bun.spawn([location.binary, ...args], {
          stdio: ["inherit", "inherit", "inherit"],
          env: start.env,
          cwd,
        })
      } catch (cause) {
        resume(
          Effect.fail(
            new RuntimeSpawnFailed({
              message: `Could not start the runtime at ${location.binary}: ${String(cause)}`,
              binary: location.binary,
            }),
          ),
        )
        return
      }
      const detach =
        options.signals?.(FORWARDED, (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
        }) ?? (() => {})
      child.exited.then(() => {
        detach()
        const signal = child.signalCode
        const status: ExitStatus =
          typeof signal === "string" ? { signal } : { code: child.exitCode ?? (signal === null ? 1 : 128 + signal) }
        resume(Effect.succeed(status))
      })
      return Effect.sync(() => {
        detach()
        child.kill("SIGTERM")
      })
    })
