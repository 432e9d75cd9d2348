/**
 * Whether the runtime will install `@opencode-ai/plugin` into a config folder
 * at start, and what to write so it need not (pure).
 *
 * Whenever a plugin is configured (the overlay always adds its guard), the
 * runtime waits, before it serves or shows anything, for an npm install into
 * each writable config folder. It skips the install when the folder has a
 * `node_modules` and the root of `package-lock.json` lists every dependency of
 * `package.json` plus `@opencode-ai/plugin` (1.18.33's `Npm.install`: it
 * compares names only). Otherwise it installs from the registry: about 70 s on
 * a new home, and as long again on every start where the registry cannot be
 * reached. The overlay ships the same pinned package, so it writes that
 * "installed" state itself: the package linked from the overlay's
 * installation, and its name added to the folder's manifest and lockfile.
 */
import { applyEdits, modify, type FormattingOptions } from "jsonc-parser"

export const PLUGIN_PACKAGE = "@opencode-ai/plugin"

const GROUPS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const

/** A JSON file of the folder as read: absent, not an object, or its text and value. */
export type JsonFile =
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly message: string }
  | { readonly kind: "ok"; readonly text: string; readonly value: Record<string, unknown> }

export type FolderState = {
  readonly packageJson: JsonFile
  readonly lock: JsonFile
  readonly nodeModules: boolean
}

export type FolderPlan =
  /** The runtime will not install anything here. */
  | { readonly kind: "ready" }
  /** Write these (the texts that change) and link the package: then the runtime will not install. */
  | {
      readonly kind: "seed"
      readonly packageJson?: string
      readonly lock?: string
    }
  /** The folder waits for an install of the user's own dependencies; the overlay does not pretend otherwise. */
  | { readonly kind: "leave"; readonly reason: string }

const names = (record: Record<string, unknown> | undefined): Set<string> => {
  const out = new Set<string>()
  for (const group of GROUPS) {
    const deps = record?.[group]
    if (deps && typeof deps === "object") for (const name of Object.keys(deps)) out.add(name)
  }
  return out
}

const lockRoot = (lock: Record<string, unknown>): Record<string, unknown> | undefined => {
  const packages = lock.packages
  if (!packages || typeof packages !== "object") return undefined
  const root = (packages as Record<string, unknown>)[""]
  return root && typeof root === "object" ? (root as Record<string, unknown>) : undefined
}

/** Indentation of the file as written, so an edit keeps the user's style. */
function formatting(text: string): FormattingOptions {
  const indent = text.match(/^[ \t]+(?=")/m)?.[0] ?? "  "
  return indent.includes("\t")
    ? { insertSpaces: false, tabSize: 1, eol: "\n" }
    : { insertSpaces: true, tabSize: indent.length, eol: text.includes("\r\n") ? "\r\n" : "\n" }
}

const edit = (text: string, path: ReadonlyArray<string>, value: unknown): string =>
  applyEdits(text, modify(text, [...path], value, { formattingOptions: formatting(text) }))

const fresh = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/**
 * What to do with one writable config folder for the runtime to take
 * `@opencode-ai/plugin` `version` as installed there.
 */
export function planFolder(state: FolderState, version: string): FolderPlan {
  const { packageJson, lock } = state
  if (packageJson.kind === "invalid")
    return { kind: "leave", reason: `its package.json cannot be read (${packageJson.message})` }
  if (lock.kind === "invalid") return { kind: "leave", reason: `its package-lock.json cannot be read (${lock.message})` }
  const wanted = names(packageJson.kind === "ok" ? packageJson.value : undefined)
  const locked = names(lock.kind === "ok" ? lockRoot(lock.value) : undefined)
  const userDeps = [...wanted].filter((name) => name !== PLUGIN_PACKAGE)
  const pending = userDeps.filter((name) => !locked.has(name))
  // The user's own dependencies wait for an install (the runtime's, or theirs): writing
  // a lockfile or a node_modules that says otherwise would keep them from ever arriving.
  if (pending.length > 0) return { kind: "leave", reason: `${pending.join(", ")} ${pending.length === 1 ? "is" : "are"} not installed yet` }
  if (!state.nodeModules && userDeps.length > 0)
    return { kind: "leave", reason: `its dependencies (${userDeps.join(", ")}) are not installed yet` }
  if (state.nodeModules && locked.has(PLUGIN_PACKAGE)) return { kind: "ready" }

  const plan: { kind: "seed"; packageJson?: string; lock?: string } = { kind: "seed" }
  if (!wanted.has(PLUGIN_PACKAGE)) {
    plan.packageJson =
      packageJson.kind === "ok"
        ? edit(packageJson.text, ["dependencies", PLUGIN_PACKAGE], version)
        : fresh({ dependencies: { [PLUGIN_PACKAGE]: version } })
  }
  if (!locked.has(PLUGIN_PACKAGE)) {
    plan.lock =
      lock.kind === "ok"
        ? edit(lock.text, ["packages", "", "dependencies", PLUGIN_PACKAGE], version)
        : fresh({ lockfileVersion: 3, requires: true, packages: { "": { dependencies: { [PLUGIN_PACKAGE]: version } } } })
  }
  return plan
}
