import * as Data from "effect/Data"

/** Bad command-line input: exit code 2, with the command's usage hint. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly message: string
  readonly hint?: string
}> {}
