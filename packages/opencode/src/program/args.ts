import type { CAC } from "cac"
import * as Effect from "effect/Effect"
import { UsageError } from "../errors/usage.ts"

/**
 * Parses `argv` with a cac program whose command actions return Effects, and
 * runs the matched action. `--help` prints the help and yields `undefined`;
 * unknown options, unused or missing arguments become a `UsageError`.
 * cac is the argument library: small, typed, and it handles `--no-<flag>`.
 */
export const parseAndRun = <A, E, R>(
  program: CAC,
  argv: ReadonlyArray<string>,
): Effect.Effect<A | undefined, E | UsageError, R> =>
  Effect.suspend((): Effect.Effect<A | undefined, E | UsageError, R> => {
    try {
      const parsed = program.parse(["bun", program.name, ...argv], { run: false })
      if (parsed.options.help) return Effect.succeed(undefined) // cac already printed it
      const result = program.runMatchedCommand() as Effect.Effect<A, E, R> | undefined
      if (result === undefined)
        return Effect.fail(new UsageError({ message: `unknown command: ${argv.join(" ")}`, hint: `${program.name} --help` }))
      return result
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      return Effect.fail(new UsageError({ message, hint: `${program.name} --help` }))
    }
  })
