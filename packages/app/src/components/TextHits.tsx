import { For, Show } from "solid-js"
import { relativeTime } from "../lib/format.ts"
import { sessionHref } from "../lib/route.ts"
import type { SearchHit } from "../lib/types.ts"

/** The snippet as text, its matched words in `<mark>` (text nodes only: a snippet is never parsed as HTML). */
function Snippet(props: { hit: SearchHit }) {
  const pieces = () => {
    const out: Array<{ text: string; hit: boolean }> = []
    let at = 0
    for (const [start, end] of props.hit.highlights) {
      if (start > at) out.push({ text: props.hit.snippet.slice(at, start), hit: false })
      out.push({ text: props.hit.snippet.slice(start, end), hit: true })
      at = end
    }
    if (at < props.hit.snippet.length) out.push({ text: props.hit.snippet.slice(at), hit: false })
    return out
  }
  return (
    <span class="hit-snippet">
      <For each={pieces()}>{(piece) => (piece.hit ? <mark>{piece.text}</mark> : piece.text)}</For>
    </span>
  )
}

const who = (hit: SearchHit) => (hit.role === "tool" ? `tool ${hit.tool ?? ""}`.trim() : hit.kind === "title" ? "title" : `${hit.role} ${hit.kind}`)

/**
 * Hits of the full-text search (prompts, answers, tool calls, subagent
 * sessions): each opens its session at the message that holds it.
 */
export function TextHits(props: { hits: ReadonlyArray<SearchHit>; now: number; error?: string; searching: boolean }) {
  return (
    <section class="text-hits" aria-labelledby="text-hits-heading" aria-busy={props.searching}>
      <h2 class="project-name" id="text-hits-heading">
        In the sessions' text
        <span class="project-count" aria-hidden="true">
          {props.hits.length}
        </span>
      </h2>
      <Show when={props.error}>
        <p class="list-empty" role="status">
          {props.error}
        </p>
      </Show>
      <Show when={!props.error && !props.searching && props.hits.length === 0}>
        <p class="list-empty">No session's text holds it.</p>
      </Show>
      <ul>
        <For each={props.hits}>
          {(hit) => (
            <li class="session-entry text-hit">
              <a class="session-link" href={sessionHref(hit.rootSessionID, hit.messageID ?? undefined)}>
                <span class="session-title">
                  {hit.rootSessionID === hit.sessionID ? hit.title || "Untitled session" : `${hit.rootTitle || "Untitled session"} › ${hit.title}`}
                </span>
                <Snippet hit={hit} />
                <span class="session-meta">
                  {who(hit)}
                  <span aria-hidden="true"> · </span>
                  <time datetime={hit.time}>{relativeTime(Date.parse(hit.time), props.now)}</time>
                </span>
              </a>
            </li>
          )}
        </For>
      </ul>
    </section>
  )
}
