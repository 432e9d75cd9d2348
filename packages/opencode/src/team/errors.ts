import * as Data from "effect/Data"

/** The team share server does not take the member token (unknown, revoked, or of another domain). */
export class TeamTokenRefused extends Data.TaggedError("TeamTokenRefused")<{
  readonly origin: string
  readonly message: string
}> {}

/** The team share server could not be asked (down, not a share server, or the network). */
export class TeamServerUnreachable extends Data.TaggedError("TeamServerUnreachable")<{
  readonly origin: string
  readonly message: string
}> {}

/** The file of team credentials could not be read or written. */
export class CredentialsFailed extends Data.TaggedError("CredentialsFailed")<{
  readonly path: string
  readonly message: string
}> {}
