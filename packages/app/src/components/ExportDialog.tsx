import { createResource, createSignal, onCleanup, onMount, Show } from "solid-js"
import { fetchExport } from "../lib/api.ts"
import { downloadBytes } from "../lib/download.ts"
import { bytes } from "../lib/format.ts"
import type { ExportFile, ExportFormat, ExportOptions } from "../lib/types.ts"
import { Icon } from "./Icon.tsx"

const FORMAT_LABEL: Record<ExportFormat, string> = { markdown: "Markdown", json: "JSON", html: "HTML" }

/** The preview shows this much text; the download always holds the whole file. */
const PREVIEW_MAX_CHARS = 2_000_000

/**
 * "Export session log": pick the format and what to include, read the exact
 * file in the preview, then download it. The file is fetched once per choice;
 * the preview shows those bytes and the download saves those same bytes under
 * the server's file name.
 */
export function ExportDialog(props: {
  sessionID: string
  title: string
  label: string
  onClose: () => void
  /** Where the footer links to every session log (the dialog inside the runtime's app: /logs/). */
  logsHref?: string
}) {
  let dialog!: HTMLDialogElement
  let first!: HTMLInputElement
  const [format, setFormat] = createSignal<ExportFormat>("markdown")
  const [thinking, setThinking] = createSignal(false)
  const [toolDetails, setToolDetails] = createSignal(false)
  const [diffs, setDiffs] = createSignal(false)

  const options = (): ExportOptions => ({ format: format(), thinking: thinking(), toolDetails: toolDetails(), diffs: diffs() })
  let controller: AbortController | undefined
  const [file] = createResource(
    () => ({ id: props.sessionID, ...options() }),
    async ({ id, ...choice }): Promise<ExportFile> => {
      controller?.abort()
      controller = new AbortController()
      return fetchExport(id, choice, controller.signal)
    },
  )
  onCleanup(() => controller?.abort())

  // The file currently shown: never a stale one while the next is on its way.
  const ready = () => (file.loading || file.error ? undefined : file())

  onMount(() => {
    dialog.showModal()
    first.focus()
  })

  const download = () => {
    const f = ready()
    if (f) downloadBytes(f.bytes, f.fileName, f.contentType)
  }

  const json = () => format() === "json"

  return (
    <dialog
      ref={dialog}
      class="export-dialog"
      aria-labelledby="export-title"
      aria-describedby="export-about"
      onClose={() => props.onClose()}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself) closes it.
        if (event.target === dialog) dialog.close()
      }}
    >
      <form method="dialog" class="export-form" onSubmit={(event) => event.preventDefault()}>
        <header class="export-header">
          <div>
            <h2 id="export-title">{props.label}</h2>
            <p id="export-about" class="export-about">
              {props.title}: the file below is exactly what you download.
            </p>
          </div>
          <button type="button" class="button button--ghost icon-button" aria-label="Close" onClick={() => dialog.close()}>
            <Icon name="close" />
          </button>
        </header>

        <div class="export-body">
          <div class="export-options">
            <fieldset>
              <legend>Format</legend>
              <label class="choice">
                <input ref={first} type="radio" name="format" value="markdown" checked={format() === "markdown"} onChange={() => setFormat("markdown")} />
                <span>
                  Markdown <small>a readable log</small>
                </span>
              </label>
              <label class="choice">
                <input type="radio" name="format" value="json" checked={json()} onChange={() => setFormat("json")} />
                <span>
                  JSON <small>lossless, for tools</small>
                </span>
              </label>
              <label class="choice">
                <input type="radio" name="format" value="html" checked={format() === "html"} onChange={() => setFormat("html")} />
                <span>
                  HTML <small>one page anyone can open offline</small>
                </span>
              </label>
            </fieldset>
            <fieldset disabled={json()} aria-describedby={json() ? "export-json-note" : undefined}>
              <legend>Include</legend>
              <label class="choice">
                <input type="checkbox" name="thinking" checked={thinking() || json()} onChange={(e) => setThinking(e.currentTarget.checked)} />
                <span>Reasoning</span>
              </label>
              <label class="choice">
                <input type="checkbox" name="toolDetails" checked={toolDetails() || json()} onChange={(e) => setToolDetails(e.currentTarget.checked)} />
                <span>Tool details</span>
              </label>
              <label class="choice">
                <input type="checkbox" name="diffs" checked={diffs() || json()} onChange={(e) => setDiffs(e.currentTarget.checked)} />
                <span>Diffs</span>
              </label>
              <Show when={json()}>
                <p id="export-json-note" class="note">
                  The JSON file always holds everything.
                </p>
              </Show>
            </fieldset>
            <p class="note">Secrets and your home folder are redacted. Attachments are listed, not included.</p>
          </div>

          <section class="export-preview" aria-label="File preview" aria-busy={file.loading}>
            <div class="preview-bar">
              <span class="preview-name">{ready()?.fileName ?? (file.loading ? "Preparing…" : "")}</span>
              <span class="preview-size">{ready() ? bytes(ready()!.bytes.byteLength) : ""}</span>
            </div>
            <Show
              when={!file.error}
              fallback={
                <p class="preview-error" role="alert">
                  Export failed: {(file.error as Error)?.message}
                </p>
              }
            >
              <pre class="preview" tabindex="0" aria-label="Exported file content" data-loading={file.loading ? "" : undefined}>
                {(ready()?.text ?? file.latest?.text ?? "").slice(0, PREVIEW_MAX_CHARS)}
              </pre>
              <Show when={(ready()?.text.length ?? 0) > PREVIEW_MAX_CHARS}>
                <p class="note">The preview stops here; the download has the whole file.</p>
              </Show>
            </Show>
          </section>
        </div>

        <footer class="export-footer">
          <Show when={props.logsHref}>
            <a class="export-logs-link" href={props.logsHref} target="_blank" rel="noopener">
              All session logs
            </a>
          </Show>
          <button type="button" class="button button--ghost" onClick={() => dialog.close()}>
            Cancel
          </button>
          <button type="button" class="button button--primary" disabled={!ready()} onClick={download}>
            <Icon name="download" />
            Download {FORMAT_LABEL[format()]}
          </button>
        </footer>
      </form>
    </dialog>
  )
}
