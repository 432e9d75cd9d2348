import { Show } from "solid-js"
import { Icon } from "./Icon.tsx"

/** A short confirmation (for things that make their own button go away, like a revocation). */
export function Toast(props: { message: string | undefined; onDismiss: () => void }) {
  return (
    <div class="toast-region" role="status" aria-live="polite">
      <Show when={props.message}>
        {(message) => (
          <div class="toast">
            <span>{message()}</span>
            <button type="button" class="button button--ghost button--small" aria-label="Dismiss" onClick={() => props.onDismiss()}>
              <Icon name="close" />
            </button>
          </div>
        )}
      </Show>
    </div>
  )
}
