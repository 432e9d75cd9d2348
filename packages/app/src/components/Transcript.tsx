import { createEffect, on } from "solid-js"
import { renderMarkdown } from "../lib/markdown.ts"
import { enhanceTranscript } from "../lib/transcript.ts"

/**
 * The conversation, rendered from the Markdown export. Session content only
 * ever reaches the page through `renderMarkdown` (escaped, then sanitized).
 * A refresh keeps the reader's place: open blocks stay open, and a reader at
 * the bottom follows new messages.
 */
export function Transcript(props: {
  markdown: string
  expandTools: boolean
  scroller: () => HTMLElement | undefined
  /** After each render: how many tool calls can be opened. */
  onRendered?: (collapsibleTools: number) => void
}) {
  let container!: HTMLDivElement

  createEffect(
    on(
      () => props.markdown,
      (markdown) => {
        const scroller = props.scroller()
        const following = !!scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48 && scroller.scrollTop > 0
        const open = new Set(Array.from(container.querySelectorAll<HTMLDetailsElement>("details[open]"), (d) => d.dataset.key))
        const closed = new Set(Array.from(container.querySelectorAll<HTMLDetailsElement>("details:not([open])"), (d) => d.dataset.key))
        const fragment = renderMarkdown(markdown)
        enhanceTranscript(fragment)
        for (const details of Array.from(fragment.querySelectorAll<HTMLDetailsElement>("details"))) {
          const key = details.dataset.key
          const isTool = details.classList.contains("tool")
          details.open = open.has(key) || (!closed.has(key) && isTool && props.expandTools)
        }
        container.replaceChildren(fragment)
        if (following && scroller) scroller.scrollTop = scroller.scrollHeight
        props.onRendered?.(container.querySelectorAll("details.tool").length)
      },
    ),
  )

  createEffect(
    on(
      () => props.expandTools,
      (expand) => {
        for (const details of Array.from(container.querySelectorAll<HTMLDetailsElement>("details.tool"))) details.open = expand
      },
      { defer: true },
    ),
  )

  return <div ref={container} class="transcript" />
}
