/**
 * The environment every runtime start gets from the overlay (pure). It applies
 * the resolved policy through the runtime's own switches, so it holds even
 * where plugins do not load (`--pure`):
 * - `OPENCODE_AUTO_SHARE` removed, and an enabling `share` removed from
 *   `OPENCODE_CONFIG_CONTENT`: variables never enable sharing;
 * - the guard plugin added to `OPENCODE_CONFIG_CONTENT` (the user's own
 *   content kept), with the launch mode as its option;
 * - when disabled: `share: "disabled"` in `OPENCODE_CONFIG_CONTENT` (merged
 *   above every project file), `OPENCODE_DISABLE_SHARE=1`, and the share host
 *   pinned to a closed loopback port.
 */
import { pathToFileURL } from "node:url"
import { parseJsonc } from "../config/jsonc.ts"
import type { ParseProblem } from "../config/layer.ts"
import type { SharePolicy } from "../config/policy.ts"
import { CLOSED_SHARE_HOST } from "./constants.ts"

export type Env = Record<string, string | undefined>

export const GUARD_PLUGIN_PATH = new URL("./plugin.ts", import.meta.url).pathname

export type LaunchEnv = { readonly ok: true; readonly env: Env } | { readonly ok: false; readonly problem: ParseProblem }

export function launchEnvironment(env: Readonly<Env>, policy: SharePolicy, pluginPath = GUARD_PLUGIN_PATH): LaunchEnv {
  let content: Record<string, unknown> = {}
  const raw = env.OPENCODE_CONFIG_CONTENT
  if (raw !== undefined && raw.trim() !== "") {
    const parsed = parseJsonc(raw)
    if (parsed.problem) return { ok: false, problem: parsed.problem }
    content = (parsed.value ?? {}) as Record<string, unknown>
  }
  const disabled = policy.mode === "disabled"
  const plugins = Array.isArray(content.plugin) ? content.plugin : []
  const merged: Record<string, unknown> = {
    ...content,
    plugin: [...plugins, [pathToFileURL(pluginPath).href, { mode: policy.mode }]],
  }
  delete merged.autoshare
  if (disabled) {
    merged.share = "disabled"
    const enterprise = typeof content.enterprise === "object" && content.enterprise !== null ? content.enterprise : {}
    merged.enterprise = { ...enterprise, url: CLOSED_SHARE_HOST }
  } else if (merged.share !== "disabled") {
    delete merged.share
  }
  const next: Env = { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify(merged) }
  delete next.OPENCODE_AUTO_SHARE
  if (disabled) next.OPENCODE_DISABLE_SHARE = "1"
  return { ok: true, env: next }
}

/**
 * The environment of a private runtime started only to revoke a publication.
 * The runtime's unshare must reach the share host that holds the copy, so the
 * host is not pinned and `OPENCODE_DISABLE_SHARE` is not set (it turns unshare
 * into a silent no-op); `share: "disabled"` and no `OPENCODE_AUTO_SHARE` keep
 * that runtime from publishing anything while it runs.
 */
export function revokeEnvironment(env: Readonly<Env>): Env {
  let content: Record<string, unknown> = {}
  const raw = env.OPENCODE_CONFIG_CONTENT
  if (raw !== undefined && raw.trim() !== "") {
    const parsed = parseJsonc(raw)
    if (!parsed.problem) content = (parsed.value ?? {}) as Record<string, unknown>
  }
  const { autoshare: _autoshare, ...rest } = content
  const next: Env = { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...rest, share: "disabled" }) }
  delete next.OPENCODE_AUTO_SHARE
  delete next.OPENCODE_DISABLE_SHARE
  return next
}
