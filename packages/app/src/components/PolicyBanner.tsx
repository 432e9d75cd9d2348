import { For, Show } from "solid-js"
import type { PolicyJson } from "../lib/types.ts"
import { Icon } from "./Icon.tsx"

/**
 * The share policy of the project in view, with where it comes from. The app
 * itself never publishes, whatever the mode; this says what the runtime's
 * other front ends may do.
 */
export function PolicyBanner(props: { policy: PolicyJson | undefined; error?: string | undefined }) {
  const disabled = () => props.policy?.mode === "disabled"
  return (
    <section class="policy" classList={{ "policy--open": !!props.policy && !disabled() }} aria-label="Publishing policy">
      <Show when={props.policy} fallback={<p class="policy-line">{props.error ? `Policy unavailable: ${props.error}` : "Reading the policy…"}</p>}>
        {(policy) => (
          <>
            <Icon name={disabled() ? "lock" : "alert"} class="policy-icon" />
            <div class="policy-text">
              <Show
                when={disabled()}
                fallback={
                  <p class="policy-line">
                    <strong>Publishing is allowed for this project ({policy().mode}; source: {policy().source}).</strong> This app never
                    publishes; it only reads and exports.
                  </p>
                }
              >
                <p class="policy-line">
                  {/* One text node, worded exactly so: the only place the app names that feature. */}
                  <strong class="policy-state">{`Sharing is disabled (source: ${policy().source})`}</strong>
                  <span class="policy-hint"> Sessions stay on this machine. To hand one over, use its export.</span>
                </p>
              </Show>
              <Show when={policy().overridden.length + policy().problems.length > 0}>
                <details class="policy-more">
                  <summary>
                    {policy().overridden.length} overridden, {policy().problems.length} config problem{policy().problems.length === 1 ? "" : "s"}
                  </summary>
                  <ul>
                    <For each={policy().overridden}>
                      {(o) => (
                        <li>
                          <code>{o.source}</code> asked for <code>{o.mode}</code>: {o.reason}
                        </li>
                      )}
                    </For>
                    <For each={policy().problems}>
                      {(p) => (
                        <li>
                          <code>{p.source}</code>
                          {p.line !== undefined ? ` (line ${p.line}, column ${p.column ?? 1})` : ""}: {p.message ?? "unreadable"}
                        </li>
                      )}
                    </For>
                  </ul>
                </details>
              </Show>
            </div>
          </>
        )}
      </Show>
    </section>
  )
}
