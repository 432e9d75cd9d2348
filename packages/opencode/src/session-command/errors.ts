import * as Data from "effect/Data"
import { OUTCOMES, type Outcome } from "../errors/table.ts"
import type { Refusal } from "../share/refusal.ts"

export type CommandName = "export" | "share" | "unshare"

/** What the overlay CLI is run for: a session command, or the TUI's `/search`. */
export type CliCommand = CommandName | "search"

/** The share policy refused the command; `refusal` says why, where it was decided, and what to use instead. */
export class CommandRefused extends Data.TaggedError("CommandRefused")<{
  readonly command: CommandName
  readonly refusal: Refusal
}> {
  override get message(): string {
    return this.refusal.message
  }
  get outcome(): Outcome {
    return OUTCOMES.ShareDisabled
  }
}

/**
 * The command ran and did not do what was asked. `outcome` is the error
 * table's row for it (from the overlay CLI's exit code, when it ran): how a
 * caller answers it (a toast, an HTTP status); `message` is the overlay CLI's
 * own explanation, ready to show.
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{
  readonly command: CliCommand
  readonly outcome: Outcome
  readonly message: string
}> {}

export type CommandError = CommandRefused | CommandFailed
