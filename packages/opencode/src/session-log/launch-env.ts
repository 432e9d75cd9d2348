/**
 * The runtime's environment with the session log's plugin added to
 * `OPENCODE_CONFIG_CONTENT` (pure), after the share guard's
 * (`share/launch-env.ts` wrote that content, so it parses).
 */
import { pathToFileURL } from "node:url"
import type { Env } from "../config/env.ts"
import { parseJsonc } from "../config/jsonc.ts"
import { packageFile } from "../package-files.ts"

/** The plugin's file (a `.ts` file runs without a build); `plugin.ts` says the same for itself. */
const PLUGIN_PATH = packageFile("src", "session-log", "plugin.ts")

export function withSessionLogPlugin(env: Env, pluginPath = PLUGIN_PATH): Env {
  const parsed = parseJsonc(env.OPENCODE_CONFIG_CONTENT ?? "{}")
  const content = (parsed.problem ? {} : (parsed.value ?? {})) as Record<string, unknown>
  if (parsed.problem) return env // the launcher refuses such content before it gets here
  const plugins = Array.isArray(content.plugin) ? content.plugin : []
  const href = pathToFileURL(pluginPath).href
  if (plugins.some((p) => p === href || (Array.isArray(p) && p[0] === href))) return env
  return { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...content, plugin: [...plugins, href] }) }
}
