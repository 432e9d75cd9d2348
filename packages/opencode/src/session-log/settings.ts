/**
 * Whether a project keeps an automatic session log, and where: the overlay's
 * own file, `session-log.json`, in the user's config folder
 * (`$XDG_CONFIG_HOME/opencode/session-log.json`: every project) and in a
 * project's `.opencode/` folder (the worktree root's, or a folder between it
 * and the working folder; the nearest wins, key by key, over the user's).
 *
 *     { "enabled": true, "folder": ".opencode/history", "commit": false }
 *
 * A file of the overlay's own, not a key in `opencode.json`: the pinned
 * runtime drops keys it does not know, but editors validating against its
 * schema flag them, and a later runtime may refuse them.
 * Plain node:fs: the runtime plugin reads this inside the runtime.
 */
import { existsSync, readFileSync } from "node:fs"
import { homedir } from "node:os"
import { isAbsolute, join, relative, resolve, sep } from "node:path"
import type { Env } from "../config/env.ts"
import { parseJsonc } from "../config/jsonc.ts"
import { findWorktree } from "../config/read.ts"

export const SETTINGS_FILE = "session-log.json"
export const DEFAULT_FOLDER = ".opencode/history"

export type SessionLogSettings = {
  /** Logs are written for this project. */
  readonly enabled: boolean
  /** The project's root (the git worktree, or the folder itself). */
  readonly project: string
  /** The absolute folder the logs go to, inside the project. */
  readonly folder: string
  /** The project means the logs to be committed: the folder's .gitignore leaves them in. */
  readonly commit: boolean
  /** The files that said so, lowest first. */
  readonly sources: ReadonlyArray<string>
  /** What could not be read, one line each, for a warning; such a file counts as not there. */
  readonly problems: ReadonlyArray<string>
}

/** `path` is `folder` or inside it (by their names: links are the writer's to check). */
export function within(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

type Raw = { enabled?: boolean; folder?: string; commit?: boolean }

/** One settings file: its keys, or a problem (a missing file is neither). */
function readFile(path: string): { raw?: Raw; problem?: string } {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "ENOENT" || (cause as NodeJS.ErrnoException).code === "ENOTDIR"
      ? {}
      : { problem: `${path}: ${(cause as Error).message}` }
  }
  const parsed = parseJsonc(text)
  if (parsed.problem) return { problem: `${path}:${parsed.problem.line}:${parsed.problem.column}: ${parsed.problem.message}` }
  const value = (parsed.value ?? {}) as Record<string, unknown>
  const raw: Raw = {}
  const problems: string[] = []
  for (const [key, v] of Object.entries(value)) {
    if (key === "$schema") continue
    if (key === "enabled" || key === "commit") {
      if (typeof v === "boolean") raw[key] = v
      else problems.push(`"${key}" must be true or false`)
    } else if (key === "folder") {
      if (typeof v === "string" && v.trim() !== "") raw.folder = v
      else problems.push(`"folder" must be a folder inside the project`)
    } else problems.push(`unknown key "${key}" (known: enabled, folder, commit)`)
  }
  return problems.length > 0 ? { problem: `${path}: ${problems.join("; ")}` } : { raw }
}

/** The folders from the worktree root down to `directory`. */
function projectFolders(directory: string, root: string): string[] {
  const out = [root]
  const rest = relative(root, directory)
  if (rest === "" || !within(root, directory)) return out
  let at = root
  for (const part of rest.split(sep)) out.push((at = join(at, part)))
  return out
}

export function sessionLogSettings(directory: string, env: Env = process.env): SessionLogSettings {
  const dir = resolve(directory)
  // The git worktree; without one, the folder itself (the runtime's worktree there is "/").
  const worktree = findWorktree(dir)
  const project = existsSync(join(worktree, ".git")) ? worktree : dir
  const home = env.HOME || homedir()
  const files = [
    join(env.XDG_CONFIG_HOME || join(home, ".config"), "opencode", SETTINGS_FILE),
    ...projectFolders(dir, project).map((folder) => join(folder, ".opencode", SETTINGS_FILE)),
  ]
  const merged: Raw = {}
  const sources: string[] = []
  const problems: string[] = []
  for (const file of files) {
    const { raw, problem } = readFile(file)
    if (problem) problems.push(problem)
    if (!raw) continue
    sources.push(file)
    Object.assign(merged, raw)
  }
  const wanted = merged.folder ?? DEFAULT_FOLDER
  const folder = resolve(project, wanted)
  const inside = folder !== project && within(project, folder)
  if (!inside) problems.push(`"folder": ${JSON.stringify(wanted)} is not inside the project (${project}); no log is written`)
  return {
    enabled: merged.enabled === true && inside,
    project,
    folder,
    commit: merged.commit === true,
    sources,
    problems,
  }
}
