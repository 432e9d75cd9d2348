/**
 * The share policy of a project folder: the one recipe every surface calls
 * (the CLI and the launcher, the server per request, the guard plugin inside
 * the runtime, the TUI plugin). It reads the layers (`read.ts`) and resolves
 * them (`policy.ts`, pure); the variant a surface needs is a parameter:
 *
 * - `environment` (the default): every layer of the user's own environment,
 *   as the launcher, the CLI and the server see it.
 * - `files`: the config files alone, for code that runs where the launcher
 *   has rewritten the environment (inside the runtime, in the TUI): there
 *   `OPENCODE_CONFIG_CONTENT` is the launcher's, with `"disabled"` merged in.
 *   Variables never enable sharing, so the files decide what may; what the
 *   launcher decided (`atMost`) still holds where it says `"disabled"`.
 */
import type { Env } from "./env.ts"
import { resolveSharePolicy, type SharePolicy } from "./policy.ts"
import { readLayers } from "./read.ts"
import { shareTarget, type ShareTarget } from "./share-target.ts"

export type PolicyReading =
  | { readonly from: "environment" }
  | { readonly from: "files"; readonly atMost?: SharePolicy }

/** The variables that carry config (they can only disable): left out where the launcher has rewritten them. */
const CONFIG_VARIABLES = ["OPENCODE_CONFIG_CONTENT", "OPENCODE_AUTO_SHARE"] as const

const filesOnly = (env: Env): Env => ({ ...env, ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, undefined])) })

export function sharePolicy(directory: string, env: Env, reading: PolicyReading = { from: "environment" }): SharePolicy {
  if (reading.from === "environment") return resolveSharePolicy(readLayers(directory, env))
  const files = resolveSharePolicy(readLayers(directory, filesOnly(env)))
  return reading.atMost?.mode === "disabled" && files.mode !== "disabled" ? reading.atMost : files
}

/** Where a folder's config files send sharing (inside the runtime, where the environment is the launcher's). */
export const filesShareTarget = (directory: string, env: Env): ShareTarget => shareTarget(readLayers(directory, filesOnly(env)))
