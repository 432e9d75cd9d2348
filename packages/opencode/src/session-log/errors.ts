import * as Data from "effect/Data"

/** The session log's folder cannot be made or written (read-only, a file in its place). Nothing was written. */
export class LogFolderUnwritable extends Data.TaggedError("LogFolderUnwritable")<{
  readonly folder: string
  readonly reason: string
}> {
  override get message(): string {
    return `The session log folder ${this.folder} cannot be written (${this.reason}); no log was written.`
  }
}
