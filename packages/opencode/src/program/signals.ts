/**
 * The process's signals, owned by the entry points. Services never install
 * signal handlers or exit the process: an overlay command is interrupted on a
 * stop signal, so its scopes close (temporary files removed, a private runtime
 * stopped) before the process ends by that signal.
 */
import * as Effect from "effect/Effect"
import type { SignalSource } from "../runtime/service.ts"

/** The signals that stop an overlay command. */
export const STOP_SIGNALS: ReadonlyArray<NodeJS.Signals> = ["SIGINT", "SIGTERM", "SIGHUP"]

/** This process's signals, as a `SignalSource`. */
export const processSignals: SignalSource = (signals, handler) => {
  for (const signal of signals) process.on(signal, handler)
  return () => {
    for (const signal of signals) process.off(signal, handler)
  }
}

/** Waits for the first of `signals`. */
export const nextSignal = (source: SignalSource, signals: ReadonlyArray<NodeJS.Signals> = STOP_SIGNALS): Effect.Effect<NodeJS.Signals> =>
  Effect.callback<NodeJS.Signals>((resume) => {
    const off = source(signals, (signal) => {
      off()
      resume(Effect.succeed(signal))
    })
    return Effect.sync(off)
  })

export type Stopped<A> = { readonly done: A } | { readonly signal: NodeJS.Signals }

/**
 * Runs `effect` unless a stop signal comes first; then `effect` is
 * interrupted, and this ends with the signal once its finalizers have run.
 */
export const untilStopped = <A, E, R>(effect: Effect.Effect<A, E, R>, source: SignalSource = processSignals): Effect.Effect<Stopped<A>, E, R> =>
  Effect.raceFirst(
    Effect.map(effect, (done): Stopped<A> => ({ done })),
    Effect.map(nextSignal(source), (signal): Stopped<A> => ({ signal })),
  )
