/** Shapes of the overlay server's `/overlay/*` answers. */

// The server's own types (a workspace package): the app reads exactly what the server writes.
import type {
  CommandInfo,
  ExportContext,
  ExportFormat,
  ExportOptions,
  JSON_EXPORT_FORMAT,
  JSON_EXPORT_SCHEMA_VERSION,
  Message,
  Part,
  PolicyJson,
  Redaction,
  SearchAnswer,
  Session,
  SessionListItem,
  SessionStats,
  Todo,
  TreeWarning,
  UnknownPart,
} from "@local/opencode/http"

export type { SearchAnswer }
export type SearchHit = SearchAnswer["hits"][number]

/** Published before: a live public copy, or a leftover link. */
export type PublishedLink = NonNullable<SessionListItem["published"]>

/**
 * `GET /overlay/policy` answers a `PolicyJson`, `/overlay/sessions` a list of
 * `SessionListItem`, `/overlay/commands` a list of `CommandInfo` (the session
 * command registry).
 */
export type { CommandInfo, ExportFormat, ExportOptions, Message, Part, PolicyJson, Session, SessionListItem, SessionStats, Todo, TreeWarning, UnknownPart }

/** A file as the server sent it: the exact bytes and the name it gave. */
export type ExportFile = {
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly text: string
  readonly fileName: string
  readonly contentType: string
}

/**
 * `GET /overlay/session/:id/export?format=json`: the lossless JSON export
 * (docs/export-format.md), redacted by the server like every export. The
 * transcript is rendered from it.
 */
export type JsonExport = {
  readonly format: typeof JSON_EXPORT_FORMAT
  readonly schema_version: typeof JSON_EXPORT_SCHEMA_VERSION
  readonly exported_at: string
  readonly runtime: ExportContext["runtime"]
  readonly overlay: ExportContext["overlay"]
  readonly source: ExportContext["source"]
  readonly redaction: Redaction & { readonly binary_payloads: "omitted" }
  readonly session: ExportedSession
  /** The whole tree's stats, and how many sessions it holds (1 + subagent sessions). */
  readonly totals: SessionStats & { readonly sessions: number }
}

/** One session of the export, with its subagent sessions. */
export type ExportedSession = {
  readonly info: Session
  readonly todos: ReadonlyArray<Todo>
  readonly messages: ReadonlyArray<ExportedMessage>
  /** Rows that could not be read (left out of `messages`). */
  readonly warnings: ReadonlyArray<TreeWarning>
  readonly children: ReadonlyArray<ExportedSession>
  /** This session's stats (not its subagent sessions'). */
  readonly stats: SessionStats
}

export type ExportedMessage = {
  readonly info: Message
  /** Parts by id; a part type a later runtime added is kept as stored. */
  readonly parts: ReadonlyArray<ExportedPart>
}

export type ExportedPart = Part | UnknownPart
