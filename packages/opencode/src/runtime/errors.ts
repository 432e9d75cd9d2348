import * as Data from "effect/Data"

/** The pinned runtime package, or its platform binary, is not installed. */
export class RuntimeNotFound extends Data.TaggedError("RuntimeNotFound")<{
  readonly message: string
  readonly tried: ReadonlyArray<string>
}> {}

/** The runtime binary exists but could not be started. */
export class RuntimeSpawnFailed extends Data.TaggedError("RuntimeSpawnFailed")<{
  readonly message: string
  readonly binary: string
}> {}

/** A runtime command the overlay ran (`import`, `session delete`) ended with an error. */
export class RuntimeCommandFailed extends Data.TaggedError("RuntimeCommandFailed")<{
  readonly message: string
}> {}

/** A runtime the overlay talks to (its private server) did not answer. */
export class RuntimeUnreachable extends Data.TaggedError("RuntimeUnreachable")<{
  readonly message: string
}> {}
