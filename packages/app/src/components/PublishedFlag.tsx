import type { PublishedLink } from "../lib/types.ts"
import { Icon } from "./Icon.tsx"

/**
 * The warning that a public copy of a session was made before: live (the
 * runtime still holds the record to take it down) or a leftover link.
 */
export function PublishedFlag(props: { published: PublishedLink }) {
  return (
    <span
      class="flag"
      classList={{ "flag--published": (props.published.state === "live"), "flag--past": !(props.published.state === "live") }}
      title={(props.published.state === "live") ? `A public copy exists at ${props.published.url}` : `Had a public link: ${props.published.url}`}
    >
      <Icon name="alert" />
      {(props.published.state === "live") ? "Public copy online" : "Published before"}
    </span>
  )
}
