import * as Data from "effect/Data"

/**
 * A request for a name this server does not answer to (its `Host`): a page
 * on another name re-pointed at this address (DNS rebinding), or a name the
 * user has not added with `--allow-host`.
 */
export class HostNotAllowed extends Data.TaggedError("HostNotAllowed")<{
  readonly message: string
}> {}

/** A request from a page of another origin (its `Origin`, or the browser's `Sec-Fetch-Site`). */
export class CrossOriginRefused extends Data.TaggedError("CrossOriginRefused")<{
  readonly message: string
}> {}

/** A request target the server will not pass on: two leading slashes, a backslash, broken percent-encoding. */
export class BadRequestTarget extends Data.TaggedError("BadRequestTarget")<{
  readonly message: string
}> {}

/** Too many wrong passwords from one address: it waits before it may try again. */
export class TooManyPasswordGuesses extends Data.TaggedError("TooManyPasswordGuesses")<{
  readonly message: string
  /** Seconds until the address may try again. */
  readonly retryAfter: number
}> {}
