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
import type { Env } from "../config/env.ts"
import type { ParseProblem } from "../config/layer.ts"
import type { SharePolicy } from "../config/policy.ts"
import { CLOSED_SHARE_HOST } from "./constants.ts"
import { packageFile } from "../package-files.ts"

/** The guard plugin the runtime loads (a `.ts` file runs without a build). */
export const GUARD_PLUGIN_PATH = packageFile("src", "share", "plugin.ts")

/** What to say when the user's OPENCODE_CONFIG_CONTENT cannot be read, and what to do about it. */
export const contentProblemMessage = (p: ParseProblem): string =>
  `OPENCODE_CONFIG_CONTENT is not valid JSON (line ${p.line}, column ${p.column}: ${p.message}). Fix or unset it.`

export type LaunchEnv = { readonly ok: true; readonly env: Env } | { readonly ok: false; readonly problem: ParseProblem }

/** The user's own `OPENCODE_CONFIG_CONTENT` as an object (empty when unset). */
function userContent(env: Env): { content: Record<string, unknown>; problem?: ParseProblem } {
  const raw = env.OPENCODE_CONFIG_CONTENT
  if (raw === undefined || raw.trim() === "") return { content: {} }
  const parsed = parseJsonc(raw)
  if (parsed.problem) return { content: {}, problem: parsed.problem }
  return { content: (parsed.value ?? {}) as Record<string, unknown> }
}

export function launchEnvironment(env: Env, policy: SharePolicy, pluginPath = GUARD_PLUGIN_PATH): LaunchEnv {
  const { content, problem } = userContent(env)
  if (problem) return { ok: false, problem }
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
  const next: Record<string, string | undefined> = { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify(merged) }
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
export function revokeEnvironment(env: Env): Env {
  // Content that does not parse is dropped: this private runtime only revokes.
  const { autoshare: _autoshare, ...rest } = userContent(env).content
  const next: Record<string, string | undefined> = { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...rest, share: "disabled" }) }
  delete next.OPENCODE_AUTO_SHARE
  delete next.OPENCODE_DISABLE_SHARE
  return next
}
