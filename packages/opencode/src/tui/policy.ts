/**
 * The share policy as the TUI plugin sees it (pure apart from reading the
 * project's config files). The launcher resolved it from the user's real
 * environment and passed it on; the TUI's own environment has been rewritten
 * since, so it is read back from there rather than recomputed. Where the TUI
 * runs in another folder than the launcher resolved for (or was started some
 * other way), the folder's own files decide, as in the guard plugin, and the
 * launcher's "disabled" still holds.
 */
import { resolve } from "node:path"
import type { SharePolicy } from "../config/policy.ts"
import type { Env } from "../config/env.ts"
import { sharePolicy } from "../config/share-policy.ts"
import { LAUNCH_VARIABLE } from "../launch/constants.ts"
import { parseLaunchInfo } from "../launch/launch-info.ts"

export function tuiPolicy(directory: string, env: Env): SharePolicy {
  const launched = parseLaunchInfo(env[LAUNCH_VARIABLE])
  if (launched && resolve(launched.directory) === resolve(directory)) return launched.policy
  return sharePolicy(directory, env, { from: "files", ...(launched ? { atMost: launched.policy } : {}) })
}
