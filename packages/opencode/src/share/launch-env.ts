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
 *   pinned to a closed loopback port;
 * - when a team server is shared to through the overlay's endpoint
 *   (`teamShareURL`): that endpoint as the share host, in the content and as
 *   the guard plugin's option (its config hook acts after the administrator's
 *   folder, which the runtime merges above the content).
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

export type LaunchOptions = {
  /**
   * The overlay's loopback endpoint for a team server, when sharing goes to one
   * (`team/endpoint.ts`), and that server's origin: the guard sends only folders
   * whose files name it through the endpoint.
   */
  readonly team?: { readonly url: string; readonly origin: string }
  readonly pluginPath?: string
}

export function launchEnvironment(env: Env, policy: SharePolicy, options: LaunchOptions = {}): LaunchEnv {
  const { content, problem } = userContent(env)
  if (problem) return { ok: false, problem }
  const disabled = policy.mode === "disabled"
  const plugins = Array.isArray(content.plugin) ? content.plugin : []
  const team = disabled ? undefined : options.team
  const merged: Record<string, unknown> = {
    ...content,
    plugin: [...plugins, [pathToFileURL(options.pluginPath ?? GUARD_PLUGIN_PATH).href, { mode: policy.mode, ...(team ? { teamShareURL: team.url, teamOrigin: team.origin } : {}) }]],
  }
  delete merged.autoshare
  const enterprise = typeof content.enterprise === "object" && content.enterprise !== null ? content.enterprise : {}
  if (disabled) {
    merged.share = "disabled"
    merged.enterprise = { ...enterprise, url: CLOSED_SHARE_HOST }
  } else if (merged.share !== "disabled") {
    delete merged.share
  }
  if (team) merged.enterprise = { ...enterprise, url: team.url }
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
export function revokeEnvironment(env: Env, options: LaunchOptions = {}): Env {
  // Content that does not parse is dropped: this private runtime only revokes.
  const { autoshare: _autoshare, ...rest } = userContent(env).content
  const team = options.team?.url
  // A team server's revoke goes through the overlay's endpoint (it holds the member token), kept there by the guard.
  const teamContent = team
    ? {
        enterprise: { ...(typeof rest.enterprise === "object" && rest.enterprise !== null ? rest.enterprise : {}), url: team },
        plugin: [...(Array.isArray(rest.plugin) ? rest.plugin : []), [pathToFileURL(options.pluginPath ?? GUARD_PLUGIN_PATH).href, { mode: "revoke", teamShareURL: team }]],
      }
    : {}
  const next: Record<string, string | undefined> = { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...rest, ...teamContent, share: "disabled" }) }
  delete next.OPENCODE_AUTO_SHARE
  delete next.OPENCODE_DISABLE_SHARE
  return next
}
