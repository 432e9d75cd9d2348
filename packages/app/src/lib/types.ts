/** Shapes of the overlay server's `/overlay/*` answers. */

// The server's own types: the app reads exactly what the server writes.
import type { ExportFormat as ServerExportFormat } from "../../../opencode/src/server/app.ts"
import type { PolicyJson } from "../../../opencode/src/config/policy.ts"
import type { SessionSummary as ServerSessionSummary } from "../../../opencode/src/server/sessions.ts"
import type { listCommands } from "../../../opencode/src/command/registry.ts"

/** `GET /overlay/policy`. */
export type Policy = PolicyJson
export type ShareMode = Policy["mode"]

/** One entry of `GET /overlay/sessions`. */
export type SessionSummary = ServerSessionSummary
/** Published before: a live public copy, or a leftover link. */
export type Published = NonNullable<SessionSummary["published"]>

/** One entry of the session command registry (`GET /overlay/commands`). */
export type CommandEntry = ReturnType<typeof listCommands>[number]

export type ExportFormat = ServerExportFormat

export type ExportOptions = {
  readonly format: ExportFormat
  /** Reasoning. */
  readonly thinking: boolean
  /** Tool input and output. */
  readonly toolDetails: boolean
  readonly diffs: boolean
}

/** A file as the server sent it: the exact bytes and the name it gave. */
export type ExportFile = {
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly text: string
  readonly fileName: string
  readonly contentType: string
}
