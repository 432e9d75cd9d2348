import { homedir } from "node:os"
import { join } from "node:path"
import type { Env } from "../config/env.ts"


/** `$XDG_DATA_HOME/opencode`, where the runtime keeps its state. */
export function runtimeDataDir(env: Env = process.env): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share")
  return join(base, "opencode")
}

/** The runtime's database file inside a data dir. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, "opencode.db")
}
