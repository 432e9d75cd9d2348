import { onCleanup, onMount } from "solid-js"
import { Icon } from "./Icon.tsx"

/**
 * The search box over the session list. `/` focuses it from anywhere, Escape
 * clears it, Enter opens the first match.
 */
export function SessionSearch(props: {
  value: string
  onInput: (value: string) => void
  onSubmit: () => void
  shown: number
  total: number
  /** Focus the box once shown (the page was opened to search). */
  autofocus?: boolean
}) {
  let input!: HTMLInputElement
  onMount(() => {
    if (props.autofocus) input.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
      if (document.querySelector("dialog[open]")) return
      event.preventDefault()
      input.focus()
      input.select()
    }
    document.addEventListener("keydown", onKey)
    onCleanup(() => document.removeEventListener("keydown", onKey))
  })
  return (
    <form
      class="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault()
        props.onSubmit()
      }}
    >
      <label class="visually-hidden" for="session-search">
        Search sessions: titles, folders and their text
      </label>
      <input
        ref={input}
        id="session-search"
        type="search"
        placeholder="Search sessions and their text"
        autocomplete="off"
        spellcheck={false}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && props.value !== "") {
            event.preventDefault()
            props.onInput("")
          }
        }}
        aria-describedby="session-search-count"
      />
      <Icon name="search" class="search-icon" />
      <kbd class="search-key" aria-hidden="true">
        /
      </kbd>
      <p id="session-search-count" class="search-count" aria-live="polite">
        {props.value.trim() === "" ? `${props.total} session${props.total === 1 ? "" : "s"}` : `${props.shown} of ${props.total} sessions`}
      </p>
    </form>
  )
}
