/**
 * One place the runtime reads configuration from, as the overlay sees it:
 * where it is, and what it says about sharing.
 */

export type ShareMode = "disabled" | "manual" | "auto"
export const SHARE_MODES: ReadonlyArray<ShareMode> = ["disabled", "manual", "auto"]

export type LayerSource =
  /** `$XDG_CONFIG_HOME/opencode/opencode.json[c]` and `~/.opencode/`. */
  | { readonly kind: "global"; readonly path: string }
  /** The file named by `OPENCODE_CONFIG`, or a file in `OPENCODE_CONFIG_DIR`. */
  | { readonly kind: "env-file"; readonly path: string; readonly variable: "OPENCODE_CONFIG" | "OPENCODE_CONFIG_DIR" }
  /** `opencode.json[c]` between the worktree root and the working directory. */
  | { readonly kind: "project"; readonly path: string }
  /** `.opencode/opencode.json[c]` inside the project. */
  | { readonly kind: "project-dir"; readonly path: string }
  | { readonly kind: "env-content"; readonly variable: "OPENCODE_CONFIG_CONTENT" }
  | { readonly kind: "env-flag"; readonly variable: "OPENCODE_AUTO_SHARE" }
  /** The administrator's folder (`/etc/opencode` on Linux, or `OPENCODE_TEST_MANAGED_CONFIG_DIR`), merged last. */
  | { readonly kind: "managed"; readonly path: string }

export type ParseProblem = {
  readonly message: string
  readonly line: number
  readonly column: number
}

export type ConfigLayer = {
  readonly source: LayerSource
  /** What this layer says about sharing; `undefined` when it is silent. */
  readonly share?: ShareSetting
  /** The share host this layer names (`enterprise.url`, the runtime's own key); `undefined` when it is silent. */
  readonly enterprise?: string
  /** The layer could not be read as JSONC; it counts as `"disabled"` for sharing. */
  readonly problem?: ParseProblem
  /**
   * The runtime will not read this layer (a project file under
   * `OPENCODE_DISABLE_PROJECT_CONFIG`): why. Its `"disabled"` still holds for
   * the overlay; it cannot enable what the runtime never sees.
   */
  readonly unread?: string
}

export type ShareSetting =
  | { readonly kind: "mode"; readonly mode: ShareMode; readonly key: "share" | "autoshare" }
  /** A `share` value that is not one of the modes: read as `"disabled"`. */
  | { readonly kind: "invalid"; readonly raw: string }

/** Human name of a layer: its file path, or the variable that carries it. */
export function describeSource(source: LayerSource | { readonly kind: "default" }): string {
  switch (source.kind) {
    case "default":
      return "default"
    case "env-content":
    case "env-flag":
      return source.variable
    case "env-file":
      return `${source.path} (${source.variable})`
    case "managed":
      return `${source.path} (administrator)`
    default:
      return source.path
  }
}

/** Files written in the project: a `"disabled"` there cannot be turned back on. */
export const isProjectFile = (source: LayerSource): boolean =>
  source.kind === "project" || source.kind === "project-dir"

/**
 * Sharing is enabled per project: only the project's own files may turn it on.
 * A global file, a variable or the administrator's folder applies to every
 * project, so it may only disable (the administrator's `"disabled"` is a lock).
 */
export const canEnable = (source: LayerSource): boolean => isProjectFile(source)
