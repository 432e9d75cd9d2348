import * as Data from "effect/Data"

export type SessionMatch = { readonly id: string; readonly title: string }

/** No session has this id; `nearest` are the closest ids there are. */
export class SessionNotFound extends Data.TaggedError("SessionNotFound")<{
  readonly id: string
  readonly nearest: ReadonlyArray<SessionMatch>
  /** Where we looked: the database path or the server URL. */
  readonly where: string
}> {
  override get message(): string {
    const near =
      this.nearest.length === 0
        ? ""
        : ` Nearest: ${this.nearest.map((m) => `${m.id} (${JSON.stringify(m.title)})`).join(", ")}.`
    return `No session ${JSON.stringify(this.id)} in ${this.where}.${near}`
  }
}

/** There was nothing to choose from: no session at all, or none matching. */
export class NoSessions extends Data.TaggedError("NoSessions")<{
  readonly message: string
}> {}

/** The sessions cannot be read: database missing or unreadable, server unreachable. */
export class SourceUnavailable extends Data.TaggedError("SourceUnavailable")<{
  readonly message: string
}> {}

/** The output file exists and `--force` was not given. Nothing was written. */
export class OutputExists extends Data.TaggedError("OutputExists")<{
  readonly path: string
}> {
  override get message(): string {
    return `${this.path} already exists; nothing was written. Pass --force to replace it, or -o to write somewhere else.`
  }
}

/** Writing failed (read-only or missing folder, disk full, …). No partial file is left. */
export class WriteFailed extends Data.TaggedError("WriteFailed")<{
  readonly path: string
  readonly reason: string
}> {
  override get message(): string {
    if (this.path === "stdout") return `Cannot write to stdout: ${this.reason}.`
    return `Cannot write ${this.path}: ${this.reason}. Nothing was written; choose another place with -o.`
  }
}

export type ExportError = SessionNotFound | NoSessions | SourceUnavailable | OutputExists | WriteFailed
