import { homedir } from "node:os"
import { join } from "node:path"
import type { Env } from "../config/env.ts"


/** `$XDG_DATA_HOME/opencode`, where the runtime keeps its state. */
export function runtimeDataDir(env: Env = process.env): string {
  return join(dataHome(env), "opencode")
}

/** `$XDG_DATA_HOME`, or `~/.local/share`. */
const dataHome = (env: Env) => env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share")

/** The runtime's database file inside a data dir. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, "opencode.db")
}

/**
 * `$XDG_DATA_HOME/opencode-local-overlay`: the overlay's own files (the search
 * index), beside the runtime's folder and never inside it.
 */
export function overlayDataDir(env: Env = process.env): string {
  return join(dataHome(env), "opencode-local-overlay")
}
