/**
 * The overlay-owned `tui.json` that loads the TUI plugin. The runtime reads
 * it through `OPENCODE_TUI_CONFIG`, merged with the user's own `tui.json`
 * files (global, project, `.opencode/`), whose plugins it keeps loading. Only
 * a user's own `OPENCODE_TUI_CONFIG` would be displaced by ours, so its
 * content is carried over, with the paths in it made absolute (the runtime
 * resolves them against the file that names them).
 *
 * The file is named after its content and written atomically into a folder
 * the overlay owns: TUIs started at the same time never see half a file, and
 * nothing the user wrote is ever touched.
 */
import { createHash, randomBytes } from "node:crypto"
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { homedir, tmpdir } from "node:os"
import { dirname, isAbsolute, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseJsonc } from "../config/jsonc.ts"
import { TUI_CONFIG_FOLDER, TUI_PLUGIN_PATH } from "./constants.ts"
import type { Env } from "../config/env.ts"


export type UserTuiConfig = { readonly path: string; readonly text: string }

export type OverlayTuiConfig = {
  /** The JSON text to write. */
  readonly text: string
  /** Why the user's own file could not be carried over, when it could not. */
  readonly problem?: string
}

const SCHEMA = "https://opencode.ai/tui.json"

/** The overlay's `tui.json` (pure): the user's `OPENCODE_TUI_CONFIG` content, if any, plus the plugin. */
export function overlayTuiConfig(spec: string, user?: UserTuiConfig): OverlayTuiConfig {
  let base: Record<string, unknown> = {}
  let problem: string | undefined
  if (user) {
    const parsed = parseJsonc(user.text)
    if (parsed.problem) problem = `${user.path}:${parsed.problem.line}:${parsed.problem.column}: ${parsed.problem.message}`
    else if (parsed.value !== undefined) base = absolutize(parsed.value as Record<string, unknown>, dirname(user.path))
  }
  // A nested launch passes our own file on as "the user's": never list the plugin twice.
  const plugins = (Array.isArray(base.plugin) ? base.plugin : []).filter(
    (entry: unknown) => (Array.isArray(entry) ? entry[0] : entry) !== spec,
  )
  const config = { $schema: SCHEMA, ...base, plugin: [...plugins, spec] }
  return { text: `${JSON.stringify(config, null, 2)}\n`, ...(problem ? { problem } : {}) }
}

/** The plugin spec the runtime gets: a `file://` URL of the plugin module. */
export const pluginSpec = (path: string = TUI_PLUGIN_PATH): string => pathToFileURL(path).href

/** As the runtime reads a plugin spec: one starting with "." is a path relative to its file. */
const isPathLike = (value: string) => value.startsWith(".")

/** Relative paths in a user's tui.json, made absolute against its folder. */
function absolutize(config: Record<string, unknown>, dir: string): Record<string, unknown> {
  const fileRefs = (value: unknown): unknown => {
    if (typeof value === "string")
      return value.replace(/\{file:([^}]+)\}/g, (whole, path: string) =>
        isAbsolute(path) || path.startsWith("~") ? whole : `{file:${resolve(dir, path)}}`,
      )
    if (Array.isArray(value)) return value.map(fileRefs)
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fileRefs(v)]))
    return value
  }
  const out = fileRefs(config) as Record<string, unknown>
  if (Array.isArray(out.plugin)) {
    out.plugin = out.plugin.map((entry: unknown) => {
      const spec = Array.isArray(entry) ? entry[0] : entry
      if (typeof spec !== "string" || !isPathLike(spec)) return entry
      const absolute = pathToFileURL(resolve(dir, spec)).href
      return Array.isArray(entry) ? [absolute, ...entry.slice(1)] : absolute
    })
  }
  for (const holder of [out, out.tui]) {
    const attention = (holder as { attention?: { sounds?: unknown } } | undefined)?.attention
    if (!attention || typeof attention.sounds !== "object" || attention.sounds === null) continue
    attention.sounds = Object.fromEntries(
      Object.entries(attention.sounds as Record<string, unknown>).map(([name, file]) => [
        name,
        typeof file === "string" && !isAbsolute(file) && !file.startsWith("~") && !/^[a-z]+:/i.test(file) ? resolve(dir, file) : file,
      ]),
    )
  }
  return out
}

/** Candidate folders for the overlay's files, best first: the user's cache, then a private temp folder. */
export function tuiConfigFolders(env: Env): ReadonlyArray<string> {
  const home = env.HOME || homedir()
  const cache = env.XDG_CACHE_HOME || join(home, ".cache")
  const uid = typeof process.getuid === "function" ? process.getuid() : "user"
  return [join(cache, TUI_CONFIG_FOLDER), join(env.TMPDIR || tmpdir(), `${TUI_CONFIG_FOLDER}-${uid}`)]
}

/**
 * Writes `text` as `tui-<hash>.json` in the first folder that takes it and
 * returns its path; a file with that name already holds that text. Throws
 * when no folder can be written.
 */
export function writeTuiConfig(text: string, folders: ReadonlyArray<string>): string {
  const name = `tui-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`
  const errors: string[] = []
  for (const folder of folders) {
    const path = join(folder, name)
    if (existsSync(path)) return path
    const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`)
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 })
      writeFileSync(temp, text, { mode: 0o600 })
      renameSync(temp, path)
      return path
    } catch (cause) {
      try {
        rmSync(temp, { force: true })
      } catch {}
      errors.push(`${folder}: ${cause instanceof Error ? cause.message : String(cause)}`)
    }
  }
  throw new Error(errors.join("; "))
}
