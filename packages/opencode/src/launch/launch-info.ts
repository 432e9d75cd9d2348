/**
 * The launcher's word to the TUI plugin, carried in `OPENCODE_OVERLAY_LAUNCH`
 * (pure). The plugin reads the share policy from it, and runs the overlay's
 * CLI in the user's own environment rather than the runtime's: the launch
 * environment pins the share host to a closed port, which `opencode share
 * revoke` must not inherit, and the runtime adds variables of its own.
 */
import { SHARE_MODES } from "../config/layer.ts"
import type { SharePolicy } from "../config/policy.ts"
import { LAUNCH_VARIABLE } from "./constants.ts"
import type { Env } from "../config/env.ts"


export type LaunchInfo = {
  /** The project folder the policy was resolved for. */
  readonly directory: string
  readonly policy: SharePolicy
  /** The user's values of the variables the launcher changed; `null` where one was unset. */
  readonly userEnv: Readonly<Record<string, string | null>>
}

/** Variables the runtime sets for the processes it starts; a subprocess of the TUI drops them unless the user had them. */
const RUNTIME_ADDED = ["OPENCODE", "OPENCODE_PID"]

export function launchInfo(original: Env, launched: Env, directory: string, policy: SharePolicy): LaunchInfo {
  const userEnv: Record<string, string | null> = {}
  const keys = new Set([...Object.keys(original), ...Object.keys(launched), ...RUNTIME_ADDED])
  for (const key of keys) {
    if (key === LAUNCH_VARIABLE) continue
    if (original[key] !== launched[key] || RUNTIME_ADDED.includes(key)) userEnv[key] = original[key] ?? null
  }
  return { directory, policy, userEnv }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** `OPENCODE_OVERLAY_LAUNCH`, or `undefined` where it is absent or not what the launcher writes. */
export function parseLaunchInfo(text: string | undefined): LaunchInfo | undefined {
  if (!text) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObject(value) || typeof value.directory !== "string" || !isObject(value.policy) || !isObject(value.userEnv)) return undefined
  const policy = value.policy
  if (!(SHARE_MODES as ReadonlyArray<unknown>).includes(policy.mode)) return undefined
  if (!isObject(policy.source) || typeof policy.source.kind !== "string") return undefined
  if (!Array.isArray(policy.overridden) || !Array.isArray(policy.problems)) return undefined
  if (!Object.values(value.userEnv).every((v) => v === null || typeof v === "string")) return undefined
  return value as unknown as LaunchInfo
}

/**
 * The environment the user launched with, from the runtime's: the launcher's
 * changes undone and the runtime's own additions dropped. Without the
 * launcher's word (a runtime started some other way), the runtime's.
 */
export function userEnvironment(env: Env): Record<string, string | undefined> {
  const info = parseLaunchInfo(env[LAUNCH_VARIABLE])
  const out: Record<string, string | undefined> = { ...env }
  if (!info) return out
  for (const [key, value] of Object.entries(info.userEnv)) {
    if (value === null) delete out[key]
    else out[key] = value
  }
  delete out[LAUNCH_VARIABLE]
  return out
}
