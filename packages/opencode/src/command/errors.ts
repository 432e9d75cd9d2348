import * as Data from "effect/Data"
import type { Refusal } from "../share/refusal.ts"

export type CommandName = "export" | "share" | "unshare"

/** The share policy refused the command; `refusal` says why, where it was decided, and what to use instead. */
export class CommandRefused extends Data.TaggedError("CommandRefused")<{
  readonly command: CommandName
  readonly refusal: Refusal
}> {
  override get message(): string {
    return this.refusal.message
  }
}

/**
 * The command ran and did not do what was asked. `reason` sorts the failures
 * the way a caller answers them (a toast, an HTTP status); `message` is the
 * overlay CLI's own explanation, ready to show.
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{
  readonly command: CommandName
  readonly reason: FailureReason
  readonly message: string
  /** The overlay CLI's exit code, when it ran. */
  readonly exitCode?: number
}> {}

export type FailureReason =
  /** The session (or its publication) does not exist. */
  | "not-found"
  /** The output exists, or its folder cannot be written; nothing was written. */
  | "write-refused"
  /** The overlay CLI refused by the share policy (exit code 4). */
  | "refused"
  /** The request itself was wrong (a bug on the caller's side). */
  | "usage"
  /** The overlay CLI could not be started, timed out, or the runtime failed. */
  | "failed"

export type CommandError = CommandRefused | CommandFailed
