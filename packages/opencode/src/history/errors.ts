import * as Data from "effect/Data"

/** The search index could not be opened or written (a full disk, a folder that cannot be written), or its hits not shown. */
export class IndexFailed extends Data.TaggedError("IndexFailed")<{
  readonly path: string
  readonly message: string
}> {}
