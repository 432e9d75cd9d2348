import * as Effect from "effect/Effect"
import { outcomeOf, type OverlayError } from "../errors/table.ts"
import type { UsageError } from "../errors/usage.ts"

/** Prints a usage error the same way for every command; its exit code is the table's (2). */
export const reportUsage = (error: UsageError): Effect.Effect<number> =>
  Effect.sync(() => {
    process.stderr.write(`error: ${error.message}\n${error.hint ? `Run '${error.hint}' for usage.\n` : ""}`)
    return outcomeOf(error).exit
  })

/**
 * Ends a command with an error: its message on stderr (`<prefix>: …`, or a
 * usage error's own form), and the exit code the error table gives it.
 * `text` words it differently where a command knows more (a hint, a multi-line refusal).
 */
export const reportError = (prefix: string, error: OverlayError, text: string = error.message): Effect.Effect<number> =>
  error._tag === "UsageError"
    ? reportUsage(error)
    : Effect.sync(() => {
        process.stderr.write(`${prefix}: ${text}\n`)
        return outcomeOf(error).exit
      })
