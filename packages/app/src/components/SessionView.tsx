import { createEffect, createMemo, createResource, createSignal, on, onMount, Show } from "solid-js"
import { fetchTranscript } from "../lib/api.ts"
import { dateTime, plural } from "../lib/format.ts"
import type { SessionListItem } from "../lib/types.ts"
import { ExportDialog } from "./ExportDialog.tsx"
import { Icon } from "./Icon.tsx"
import { RevokeButton } from "./RevokeButton.tsx"
import { Transcript } from "./Transcript.tsx"

/**
 * One session (mounted afresh for each one): its header and actions, a
 * warning when it was published before, and the conversation. `changed`
 * ticks when the runtime reports a change to this session, and the list's
 * `updated` moves when another process wrote it; the transcript is then read again.
 */
export function SessionView(props: {
  sessionID: string
  /** A message to show (a search hit): scrolled to, marked, its tool calls opened. */
  messageID: string | undefined
  summary: SessionListItem | undefined
  exportLabel: string
  changed: number
  live: boolean
  scroller: () => HTMLElement | undefined
  onRevoked: (message: string) => void
}) {
  const [exporting, setExporting] = createSignal(false)
  const [expandTools, setExpandTools] = createSignal(false)
  const [tools, setTools] = createSignal(0)
  const [rendered, setRendered] = createSignal(0)
  const [transcript, { refetch }] = createResource(() => props.sessionID, (id) => fetchTranscript(id))

  const updated = createMemo(() => props.summary?.updated)
  createEffect(on([() => props.changed, updated], () => void refetch(), { defer: true }))
  onMount(() => props.scroller()?.scrollTo({ top: 0 }))
  // Once the transcript is on the page (and again when the hash names another message).
  createEffect(
    on([() => props.messageID, rendered], ([id]) => {
      const root = props.scroller()
      if (!id || !root) return
      for (const marked of Array.from(root.querySelectorAll(".message--hit"))) marked.classList.remove("message--hit")
      const target = Array.from(root.querySelectorAll<HTMLElement>("[data-message-id]")).find((el) => el.dataset.messageId === id)
      if (!target) return
      for (const details of Array.from(target.querySelectorAll("details"))) details.open = true
      for (let up = target.parentElement?.closest("details"); up; up = up.parentElement?.closest("details")) up.open = true
      target.classList.add("message--hit")
      target.scrollIntoView({ block: "start" })
    }),
  )

  const title = () => props.summary?.title || "Untitled session"
  let exportButton!: HTMLButtonElement

  return (
    <article class="session" aria-labelledby="session-title">
      <header class="session-header">
        <h1 id="session-title">{title()}</h1>
        <p class="session-sub">
          <Show when={props.summary} fallback={<code>{props.sessionID}</code>}>
            {(s) => (
              <>
                <span class="session-project">{s().project.name}</span>
                <span aria-hidden="true"> · </span>
                <code class="session-path" title={s().directory}>
                  {s().directory}
                </code>
                <span aria-hidden="true"> · </span>
                <span>updated {dateTime(s().updated)}</span>
                <span aria-hidden="true"> · </span>
                <span>{plural(s().messages, "message")}</span>
              </>
            )}
          </Show>
          <span class="live" classList={{ "live--on": props.live }} title={props.live ? "Updates as the runtime writes" : "Not connected to the runtime's events"}>
            <span class="live-dot" aria-hidden="true" />
            {props.live ? "Live" : "Offline"}
          </span>
        </p>
        <div class="session-actions">
          <Show when={tools() > 0}>
            <button type="button" class="button button--ghost" aria-pressed={expandTools()} onClick={() => setExpandTools((v) => !v)}>
              {expandTools() ? "Collapse tool calls" : "Expand tool calls"}
            </button>
          </Show>
          <button ref={exportButton} type="button" class="button button--primary" onClick={() => setExporting(true)}>
            <Icon name="download" />
            {props.exportLabel}
          </button>
        </div>
      </header>

      <Show when={props.summary?.published}>
        {(published) => (
          <Show
            when={published().state === "live"}
            fallback={
              <div class="notice" role="note">
                <Icon name="alert" class="notice-icon" />
                <p>
                  This session had a public link, <code class="notice-url">{published().url}</code>; no public copy is on record any more.
                </p>
              </div>
            }
          >
            <div class="notice notice--warning" role="note">
              <Icon name="alert" class="notice-icon" />
              <p>
                <strong>This session was published before.</strong> A public copy may still be online at{" "}
                <code class="notice-url">{published().url}</code>. Revoking takes it down.
              </p>
              <RevokeButton sessionID={props.sessionID} title={title()} onRevoked={props.onRevoked} />
            </div>
          </Show>
        )}
      </Show>

      <Show when={transcript.error && !transcript.latest}>
        <p class="notice notice--error" role="alert">
          This session could not be read: {(transcript.error as Error)?.message}
        </p>
      </Show>
      <Show when={transcript.latest} fallback={<Show when={!transcript.error}><p class="loading" role="status">Reading the session…</p></Show>}>
        {(view) => <Transcript
            view={view()}
            expandTools={expandTools()}
            scroller={props.scroller}
            onRendered={(n) => {
              setTools(n)
              setRendered((r) => r + 1)
            }}
          />}
      </Show>

      <Show when={exporting()}>
        <ExportDialog
          sessionID={props.sessionID}
          title={title()}
          label={props.exportLabel}
          onClose={() => {
            setExporting(false)
            exportButton.focus()
          }}
        />
      </Show>
    </article>
  )
}
