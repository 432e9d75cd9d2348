import * as Data from "effect/Data"

/** No runtime database where we looked: nothing was ever run with this home. */
export class DatabaseMissing extends Data.TaggedError("DatabaseMissing")<{
  readonly path: string
  readonly message: string
}> {}

/** The database exists but could not be opened or read. */
export class DatabaseUnreadable extends Data.TaggedError("DatabaseUnreadable")<{
  readonly path: string
  readonly message: string
}> {}
