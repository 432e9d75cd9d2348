import { createResource } from "solid-js"
import { fetchCommands } from "../lib/api.ts"
import { exportLabel } from "../lib/commands.ts"
import { sessionHref } from "../lib/route.ts"
import { ExportDialog } from "./ExportDialog.tsx"

/** What the frame says to the page that opened it (the overlay's addition to the runtime's app). */
export const EXPORT_CLOSED = { source: "opencode-overlay", type: "export-closed" } as const

/**
 * The export dialog on its own (`#/export/<id>`), framed by the runtime's
 * app: closing it tells that page to remove the frame; opened directly, it
 * goes on to the session's log.
 */
export function EmbeddedExport(props: { sessionID: string; title?: string }) {
  const [commands] = createResource(fetchCommands)
  const close = () => {
    if (window.parent !== window) window.parent.postMessage(EXPORT_CLOSED, location.origin)
    else location.hash = sessionHref(props.sessionID)
  }
  return (
    <div class="embedded-export">
      <ExportDialog
        sessionID={props.sessionID}
        title={props.title ?? props.sessionID}
        label={exportLabel(commands())}
        logsHref={`./${sessionHref(props.sessionID)}`}
        onClose={close}
      />
    </div>
  )
}
