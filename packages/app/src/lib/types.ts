/** Shapes of the overlay server's `/overlay/*` answers. */

export type ShareMode = "disabled" | "manual" | "auto"

export type Policy = {
  readonly mode: ShareMode
  /** Which file or variable decided the mode. */
  readonly source: string
  /** Attempts to turn the mode up that the rules overrode. */
  readonly overridden: ReadonlyArray<{ readonly source: string; readonly mode: string; readonly reason: string }>
  readonly problems: ReadonlyArray<{ readonly source: string; readonly message?: string; readonly line?: number; readonly column?: number }>
}

export type Published = { readonly url: string; readonly live: boolean }

export type SessionSummary = {
  readonly id: string
  readonly title: string
  readonly directory: string
  readonly project: { readonly id: string; readonly name: string; readonly worktree: string }
  /** Epoch milliseconds. */
  readonly created: number
  readonly updated: number
  readonly messages: number
  readonly children: number
  /** Published before: a live public copy, or a leftover link. */
  readonly published: Published | null
}

/** One entry of the session command registry (`GET /overlay/commands`). */
export type CommandEntry = {
  readonly name: string
  readonly slashName?: string
  readonly title?: string
  readonly description?: string
  readonly category?: string
  readonly available?: boolean
}

export type ExportFormat = "markdown" | "json"

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
