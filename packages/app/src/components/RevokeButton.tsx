import { createSignal, Show } from "solid-js"
import { revokePublicLink } from "../lib/api.ts"

/**
 * "Revoke public link": asks the overlay server to unpublish the session's
 * public copy (always allowed). Success is reported by the caller (this button
 * goes away with the flag); a failure stays next to the button.
 */
export function RevokeButton(props: { sessionID: string; title: string; compact?: boolean; onRevoked: (message: string) => void }) {
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const revoke = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const result = await revokePublicLink(props.sessionID)
      props.onRevoked(`Public link revoked${result.url ? `: ${result.url}` : ""}. “${props.title}” is no longer online.`)
    } catch (e) {
      setError(`Could not revoke: ${(e as Error).message}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <span class="revoke" classList={{ "revoke--compact": props.compact }}>
      <button
        type="button"
        class="button button--danger"
        classList={{ "button--small": props.compact }}
        disabled={busy()}
        aria-label={`Revoke public link of “${props.title}”`}
        onClick={revoke}
      >
        {busy() ? "Revoking…" : "Revoke public link"}
      </button>
      <Show when={error()}>
        {(text) => (
          <span class="revoke-error" role="alert">
            {text()}
          </span>
        )}
      </Show>
    </span>
  )
}
