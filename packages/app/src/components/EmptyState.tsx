import { Show } from "solid-js"

/** What the main area shows with no session open. */
export function EmptyState(props: { sessions: number; loading: boolean }) {
  return (
    <div class="empty">
      <Show
        when={props.sessions > 0}
        fallback={
          <Show when={!props.loading} fallback={<p role="status">Reading your sessions…</p>}>
            <h1>No sessions yet</h1>
            <p>
              Start one with <code>opencode</code> in a project folder; it shows up here as soon as the runtime stores it.
            </p>
          </Show>
        }
      >
        <h1>Pick a session</h1>
        <p>Choose a session on the left to read it and export its log. Press <kbd>/</kbd> to search.</p>
      </Show>
    </div>
  )
}
