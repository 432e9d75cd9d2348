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

/** The ledger of team shares (`team-shares.db`) could not be opened, read or written. */
export class LedgerFailed extends Data.TaggedError("LedgerFailed")<{
  readonly path: string
  readonly message: string
}> {}

/** Sharing to a team server cannot go ahead here (no member token, a console account, --pure): why, and what to do. */
export class TeamShareRefused extends Data.TaggedError("TeamShareRefused")<{
  readonly origin: string
  readonly message: string
}> {}

/** Items for a team server could not all be delivered in time; they wait in the outbox for the next try. */
export class TeamDeliveryIncomplete extends Data.TaggedError("TeamDeliveryIncomplete")<{
  readonly origin: string
  readonly message: string
}> {}

/** Signing in through the browser did not complete (timed out, or the browser sent something else back). */
export class TeamSignInFailed extends Data.TaggedError("TeamSignInFailed")<{
  readonly origin: string
  readonly message: string
}> {}
