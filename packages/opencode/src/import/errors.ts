import * as Data from "effect/Data"

/** The file is not an export `opencode import` can read: what is wrong, and what to run instead. Nothing was written. */
export class ImportInvalid extends Data.TaggedError("ImportInvalid")<{
  readonly message: string
}> {}

/** An id in the file belongs to a different session in this database. Nothing was written. */
export class ImportConflict extends Data.TaggedError("ImportConflict")<{
  readonly message: string
}> {}
