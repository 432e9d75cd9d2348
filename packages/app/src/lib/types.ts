/** Shapes of the overlay server's `/overlay/*` answers. */

// The server's own types (a workspace package): the app reads exactly what the server writes.
import type { CommandInfo, ExportFormat, ExportOptions, PolicyJson, SessionListItem } from "@local/opencode/http"

/** Published before: a live public copy, or a leftover link. */
export type PublishedLink = NonNullable<SessionListItem["published"]>

/**
 * `GET /overlay/policy` answers a `PolicyJson`, `/overlay/sessions` a list of
 * `SessionListItem`, `/overlay/commands` a list of `CommandInfo` (the session
 * command registry).
 */
export type { CommandInfo, ExportFormat, ExportOptions, PolicyJson, SessionListItem }

/** A file as the server sent it: the exact bytes and the name it gave. */
export type ExportFile = {
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly text: string
  readonly fileName: string
  readonly contentType: string
}
