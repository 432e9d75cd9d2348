/**
 * Prepares the runtime's config folders before it starts, so that it finds
 * `@opencode-ai/plugin` installed and does not wait for the registry (see
 * plugin-deps.ts for why). Only folders the runtime would install into are
 * touched; a folder that is read-only, already installed, or waiting for the
 * user's own dependencies is left as it is. Plain node:fs: this runs on every
 * start, before anything else, and takes a few stat and read calls per folder.
 */
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { dirname, join } from "node:path"
import type { Env } from "../config/env.ts"
import { configDirectories } from "../config/read.ts"
import { PLUGIN_PACKAGE, planFolder, type FolderPlan, type JsonFile } from "./plugin-deps.ts"
import { PACKAGE_DIR } from "../package-files.ts"

export type PluginSource = {
  /** The overlay's own installed copy of the package. */
  readonly directory: string
  readonly version: string
}

export type FolderOutcome = { readonly folder: string; readonly plan: FolderPlan | { kind: "read-only" } }

/** The overlay's installed `@opencode-ai/plugin` (the runtime's pinned version). */
export function overlayPluginSource(fromDir: string = PACKAGE_DIR): PluginSource {
  // The package's exports hide its package.json: walk up from its entry point.
  let dir = dirname(Bun.resolveSync(PLUGIN_PACKAGE, fromDir))
  while (true) {
    const manifest = readJson(join(dir, "package.json"))
    if (manifest.kind === "ok" && manifest.value.name === PLUGIN_PACKAGE) return { directory: dir, version: String(manifest.value.version) }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json of ${PLUGIN_PACKAGE} above its entry point`)
    dir = parent
  }
}

/** Strict JSON, as the runtime's install check reads these files (a comment makes them unreadable to it). */
function readJson(path: string): JsonFile {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" }
    return { kind: "invalid", message: (cause as Error).message }
  }
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { kind: "invalid", message: "the top level is not an object" }
    return { kind: "ok", text, value: value as Record<string, unknown> }
  } catch (cause) {
    return { kind: "invalid", message: (cause as Error).message }
  }
}

const isWritableDir = (path: string): boolean => {
  try {
    if (!statSync(path).isDirectory()) return false
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** Writes `text` to `path` through a temporary file and a rename: never half-written. */
function writeAtomic(path: string, text: string): void {
  const temp = `${path}.overlay-${process.pid}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, path)
}

const linkPath = (folder: string): string => join(folder, "node_modules", ...PLUGIN_PACKAGE.split("/"))

/**
 * Links the overlay's copy of the package into the folder's node_modules,
 * unless something that resolves is there already. A link that no longer
 * resolves (the overlay moved or was removed) is made again.
 */
function linkPackage(folder: string, source: PluginSource): void {
  const target = linkPath(folder)
  const stat = lstatSync(target, { throwIfNoEntry: false })
  if (stat && existsSync(target)) return
  if (stat) rmSync(target, { force: true })
  mkdirSync(dirname(target), { recursive: true })
  try {
    symlinkSync(source.directory, target, process.platform === "win32" ? "junction" : "dir")
  } catch (cause) {
    // Another start linked it a moment ago.
    if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw cause
  }
}

const isDanglingLink = (path: string): boolean =>
  (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false) && !existsSync(path)

function prepareFolder(folder: string, source: PluginSource): FolderOutcome {
  // The runtime creates the global folder itself (with its .gitignore) and skips a folder it cannot write.
  try {
    mkdirSync(folder, { recursive: true })
  } catch {}
  if (!isWritableDir(folder)) return { folder, plan: { kind: "read-only" } }
  const plan = planFolder(
    {
      packageJson: readJson(join(folder, "package.json")),
      lock: readJson(join(folder, "package-lock.json")),
      nodeModules: existsSync(join(folder, "node_modules")),
    },
    source.version,
  )
  if (plan.kind === "seed") {
    // The package first, then the files that say it is there.
    linkPackage(folder, source)
    if (plan.packageJson !== undefined) writeAtomic(join(folder, "package.json"), plan.packageJson)
    if (plan.lock !== undefined) writeAtomic(join(folder, "package-lock.json"), plan.lock)
  } else if (plan.kind === "ready" && isDanglingLink(linkPath(folder))) {
    linkPackage(folder, source)
  }
  return { folder, plan }
}

export type PreparedFolders = {
  readonly outcomes: ReadonlyArray<FolderOutcome>
  /** Lines for stderr: folders where the runtime will still install, and why. */
  readonly warnings: ReadonlyArray<string>
}

/**
 * Makes every config folder of a runtime started in `directory` with `env`
 * hold `@opencode-ai/plugin` as installed. Never fails: a folder that cannot
 * be prepared is named in a warning, and the runtime installs there as it
 * would without the overlay.
 */
export function preparePluginFolders(directory: string, env: Env, given?: PluginSource): PreparedFolders {
  const outcomes: FolderOutcome[] = []
  const warnings: string[] = []
  let source: PluginSource
  try {
    source = given ?? overlayPluginSource()
  } catch (cause) {
    return { outcomes, warnings: [`opencode: the overlay's ${PLUGIN_PACKAGE} was not found (${(cause as Error).message}); the runtime may install it from the registry before it starts. Reinstall the overlay.\n`] }
  }
  for (const folder of configDirectories(directory, env)) {
    try {
      const outcome = prepareFolder(folder, source)
      outcomes.push(outcome)
      if (outcome.plan.kind === "leave")
        warnings.push(`opencode: ${folder}: ${outcome.plan.reason}; the runtime installs them from the registry before it starts.\n`)
    } catch (cause) {
      warnings.push(
        `opencode: ${folder} could not be prepared (${(cause as Error).message}); the runtime may install ${PLUGIN_PACKAGE} there from the registry before it starts.\n`,
      )
    }
  }
  return { outcomes, warnings }
}
