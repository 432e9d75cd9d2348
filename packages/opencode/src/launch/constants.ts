import { packageFile } from "../package-files.ts"

/** The id the runtime knows the overlay's TUI plugin by. */
export const TUI_PLUGIN_ID = "local-overlay-tui"

/** The plugin module the runtime's TUI loads (a `.ts` file runs without a build). */
export const TUI_PLUGIN_PATH = packageFile("src", "tui", "plugin.ts")

/**
 * What the launcher tells the TUI plugin (JSON, see `launch-info.ts`): the
 * share policy it resolved and the user's own values of the variables it
 * rewrote. The TUI sees only the rewritten launch environment, where the
 * user's `OPENCODE_CONFIG_CONTENT` and `OPENCODE_AUTO_SHARE` no longer say
 * what they said.
 */
export const LAUNCH_VARIABLE = "OPENCODE_OVERLAY_LAUNCH"

/** The runtime's variable naming one more `tui.json`, merged after the global ones. */
export const TUI_CONFIG_VARIABLE = "OPENCODE_TUI_CONFIG"

/** The folder (under the user's cache folder) holding the overlay's `tui.json` files. */
export const TUI_CONFIG_FOLDER = "opencode-local-overlay"
