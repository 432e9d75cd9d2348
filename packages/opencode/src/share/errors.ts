import * as Data from "effect/Data"
import type { SharePolicy } from "../config/policy.ts"

/** Publishing was refused because the share policy is disabled. */
export class ShareDisabled extends Data.TaggedError("ShareDisabled")<{
  readonly message: string
  readonly policy: SharePolicy
  /** What to run instead. */
  readonly exportCommand: string
  /** The message as separate statements, for a terminal. */
  readonly lines: ReadonlyArray<string>
}> {}

/** The runtime could not be asked (not started, or it answered with an error). */
export class ShareRequestFailed extends Data.TaggedError("ShareRequestFailed")<{
  readonly message: string
}> {}

export class SessionNotPublished extends Data.TaggedError("SessionNotPublished")<{
  readonly sessionID: string
  readonly message: string
}> {}

export class UnknownSession extends Data.TaggedError("UnknownSession")<{
  readonly sessionID: string
  readonly message: string
}> {}
