/**
 * What every runtime start gets from the overlay, whatever the command: the
 * config folders prepared so that it does not wait for the package registry,
 * and its self-update switched off, so that the runtime stays the pinned one
 * (its autoupdate would otherwise install a newer `opencode-ai` through
 * whichever package manager it detects).
 */
import type { Env } from "../config/env.ts"
import { preparePluginFolders } from "./plugin-folders.ts"

export type PreparedStart = {
  readonly env: Record<string, string | undefined>
  /** Lines for stderr, written before the runtime starts. */
  readonly warnings: ReadonlyArray<string>
}

export function prepareStart(directory: string, env: Env): PreparedStart {
  const { warnings } = preparePluginFolders(directory, env)
  return { env: { ...env, OPENCODE_DISABLE_AUTOUPDATE: "1" }, warnings }
}
