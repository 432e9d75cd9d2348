import { existsSync, readFileSync, statSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { envFlag, type Env } from "./env.ts"
import { enterpriseURL, parseJsonc, shareSetting } from "./jsonc.ts"
import type { ConfigLayer, LayerSource } from "./layer.ts"


/** The user's home and the runtime's global config folder (`$XDG_CONFIG_HOME/opencode`). */
function userFolders(env: Env): { home: string; globalDir: string } {
  const home = env.HOME || homedir()
  return { home, globalDir: join(env.XDG_CONFIG_HOME || join(home, ".config"), "opencode") }
}

/** The administrator's config folder, as the runtime finds it (its test variable included). */
export function managedConfigDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env.OPENCODE_TEST_MANAGED_CONFIG_DIR) return env.OPENCODE_TEST_MANAGED_CONFIG_DIR
  if (platform === "darwin") return "/Library/Application Support/opencode"
  if (platform === "win32") return join(env.ProgramData || "C:\\ProgramData", "opencode")
  return "/etc/opencode"
}

/**
 * Reads every configuration layer the runtime reads, in the runtime's order
 * (lowest first), ending with the administrator's folder, which the runtime
 * merges last. Project files are always read, even where the runtime is told
 * to skip them (`OPENCODE_DISABLE_PROJECT_CONFIG`): a project's `"disabled"`
 * must hold whatever the environment says; such a layer is marked `unread`.
 * Remote config (well-known endpoints, an organisation's console) cannot be
 * read before the runtime starts: see `remote.ts`.
 * Plain node:fs on purpose: the guard plugin calls this inside the runtime.
 */
export function readLayers(cwd: string, env: Env): ReadonlyArray<ConfigLayer> {
  const { home, globalDir } = userFolders(env)
  const layers: ConfigLayer[] = []
  const file = (path: string, source: LayerSource) => {
    const layer = readFileLayer(path, source)
    if (layer) layers.push(layer)
  }

  for (const name of ["config.json", "opencode.json", "opencode.jsonc"]) {
    const path = join(globalDir, name)
    file(path, { kind: "global", path })
  }
  if (env.OPENCODE_CONFIG) {
    const path = resolve(cwd, env.OPENCODE_CONFIG)
    file(path, { kind: "env-file", path, variable: "OPENCODE_CONFIG" })
  }

  const worktree = findWorktree(cwd)
  const dirs = ancestors(cwd, worktree) // worktree root first
  const unread = envFlag(env, "OPENCODE_DISABLE_PROJECT_CONFIG") ? "OPENCODE_DISABLE_PROJECT_CONFIG is set: the runtime does not read project files" : undefined
  const projectFile = (path: string, source: LayerSource) => {
    const layer = readFileLayer(path, source)
    if (layer) layers.push(unread ? { ...layer, unread } : layer)
  }
  for (const dir of dirs) {
    for (const name of ["opencode.json", "opencode.jsonc"]) {
      const path = join(dir, name)
      projectFile(path, { kind: "project", path })
    }
  }
  // The runtime visits `.opencode` folders from the working directory upwards.
  for (const dir of [...dirs].reverse()) {
    for (const name of ["opencode.json", "opencode.jsonc"]) {
      const path = join(dir, ".opencode", name)
      projectFile(path, { kind: "project-dir", path })
    }
  }
  for (const name of ["opencode.json", "opencode.jsonc"]) {
    const path = join(home, ".opencode", name)
    file(path, { kind: "global", path })
  }
  if (env.OPENCODE_CONFIG_DIR) {
    for (const name of ["opencode.json", "opencode.jsonc"]) {
      const path = join(resolve(cwd, env.OPENCODE_CONFIG_DIR), name)
      file(path, { kind: "env-file", path, variable: "OPENCODE_CONFIG_DIR" })
    }
  }

  if (env.OPENCODE_CONFIG_CONTENT !== undefined && env.OPENCODE_CONFIG_CONTENT.trim() !== "") {
    const source: LayerSource = { kind: "env-content", variable: "OPENCODE_CONFIG_CONTENT" }
    const parsed = parseJsonc(env.OPENCODE_CONFIG_CONTENT)
    layers.push(parsed.problem ? { source, problem: parsed.problem } : settingsOf(source, parsed.value))
  }
  if (envFlag(env, "OPENCODE_AUTO_SHARE")) {
    layers.push({ source: { kind: "env-flag", variable: "OPENCODE_AUTO_SHARE" }, share: { kind: "mode", mode: "auto", key: "share" } })
  }
  const managed = managedConfigDir(env)
  for (const name of ["opencode.json", "opencode.jsonc"]) {
    const path = join(managed, name)
    file(path, { kind: "managed", path })
  }
  return layers
}

/** What a parsed layer says that the overlay acts on: sharing, and the share host it names. */
function settingsOf(source: LayerSource, value: unknown): ConfigLayer {
  const enterprise = enterpriseURL(value)
  return { source, share: shareSetting(value), ...(enterprise === undefined ? {} : { enterprise }) }
}

function readFileLayer(path: string, source: LayerSource): ConfigLayer | undefined {
  let text: string
  try {
    if (!statSync(path).isFile()) return undefined
    text = readFileSync(path, "utf8")
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined
    // Exists but unreadable: fail closed, like a file that does not parse.
    return { source, problem: { message: `cannot read: ${(cause as Error).message}`, line: 1, column: 1 } }
  }
  const parsed = parseJsonc(text)
  return parsed.problem ? { source, problem: parsed.problem } : settingsOf(source, parsed.value)
}

/** The git worktree holding `cwd`, or the filesystem root when there is none (as the runtime does). */
export function findWorktree(cwd: string): string {
  let dir = resolve(cwd)
  while (true) {
    if (existsSync(join(dir, ".git"))) return dir
    const parent = dirname(dir)
    if (parent === dir) return dir
    dir = parent
  }
}

/**
 * The folders the runtime treats as config folders (`Config.directories`): it
 * loads plugins, commands and agents from them and installs
 * `@opencode-ai/plugin` into each writable one. In its order: the global
 * folder, the project's `.opencode` folders from the working directory up to
 * the worktree root (unless project config is off), `~/.opencode`, and
 * `OPENCODE_CONFIG_DIR`.
 */
export function configDirectories(cwd: string, env: Env): string[] {
  const { home, globalDir } = userFolders(env)
  const dirs = [globalDir]
  const isDir = (path: string) => {
    try {
      return statSync(path).isDirectory()
    } catch {
      return false
    }
  }
  if (!envFlag(env, "OPENCODE_DISABLE_PROJECT_CONFIG")) {
    for (const dir of ancestors(cwd, findWorktree(cwd)).reverse()) {
      if (isDir(join(dir, ".opencode"))) dirs.push(join(dir, ".opencode"))
    }
  }
  if (isDir(join(home, ".opencode"))) dirs.push(join(home, ".opencode"))
  if (env.OPENCODE_CONFIG_DIR) dirs.push(resolve(cwd, env.OPENCODE_CONFIG_DIR))
  return [...new Set(dirs)]
}

/** `from`'s ancestors up to and including `stop`, outermost first. */
function ancestors(from: string, stop: string): string[] {
  const out: string[] = []
  let dir = resolve(from)
  while (true) {
    out.push(dir)
    if (dir === stop) break
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return out.reverse()
}
