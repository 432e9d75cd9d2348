/**
 * What the launcher does for a TUI start: point the runtime at the overlay's
 * `tui.json` (which loads the TUI plugin) and hand the TUI the share policy;
 * or, where plugins are skipped (`--pure`), say so before the TUI takes the
 * terminal: the runtime's own unredacted `/export` is what the user gets.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import type { SharePolicy } from "../config/policy.ts"
import { describePolicy } from "../config/policy.ts"
import { envFlag, type Env } from "../config/env.ts"
import { optionArgs, positionals, RUNTIME_COMMANDS } from "../runtime/args.ts"
import { EXPORT_HINT } from "../share/constants.ts"
import { LAUNCH_VARIABLE, TUI_CONFIG_VARIABLE } from "./constants.ts"
import { launchInfo } from "./launch-info.ts"
import { overlayTuiConfig, pluginSpec, tuiConfigFolders, writeTuiConfig, type UserTuiConfig } from "./tui-config.ts"

/** Runtime commands that start a TUI besides the default one (`opencode [project]`). */
const TUI_COMMANDS = new Set(["attach", "pr"])

/** Does this command line start the runtime's TUI? (pure) */
export function isTuiStart(argv: ReadonlyArray<string>): boolean {
  const options = optionArgs(argv)
  if (options.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-v")) return false
  const first = positionals(argv)[0]
  return first === undefined || !RUNTIME_COMMANDS.has(first) || TUI_COMMANDS.has(first)
}

/** Will the runtime skip external plugins (`--pure`, or `OPENCODE_PURE`)? (pure) */
export function isPureStart(argv: ReadonlyArray<string>, env: Env): boolean {
  return optionArgs(argv).includes("--pure") || envFlag(env, "OPENCODE_PURE")
}

/** The launcher's words for a TUI started without plugins (pure). */
export function pureWarning(policy: SharePolicy): string {
  const sharing =
    policy.mode === "disabled"
      ? `Sharing stays ${describePolicy(policy)}: the launch environment holds without plugins.`
      : `Sharing: ${describePolicy(policy)}.`
  return [
    `opencode: --pure loads no plugins, so the TUI's /export is the runtime's own unredacted transcript, not the overlay's "Export session log".`,
    `  For a redacted session log, run: ${EXPORT_HINT}`,
    `  ${sharing}`,
  ].join("\n") + "\n"
}

export type TuiLaunch = {
  /** The runtime's environment. */
  readonly env: Env
  /** Lines for stderr, written before the runtime starts. */
  readonly warnings: ReadonlyArray<string>
}

/**
 * The environment of a runtime start (`env`, the launch environment made
 * from the user's `original`), with the TUI's part added where the command
 * starts a TUI. Never fails: where the overlay's `tui.json` cannot be
 * written, the TUI starts without the plugin and the user is told.
 */
export function prepareTuiLaunch(
  argv: ReadonlyArray<string>,
  env: Env,
  policy: SharePolicy,
  directory: string,
  original: Env = process.env,
  cwd: string = process.cwd(),
): TuiLaunch {
  if (!isTuiStart(argv)) return { env, warnings: [] }
  if (isPureStart(argv, env)) return { env, warnings: [pureWarning(policy)] }
  const warnings: string[] = []
  let user: UserTuiConfig | undefined
  const own = original[TUI_CONFIG_VARIABLE]
  if (own) {
    const path = resolve(cwd, own)
    try {
      user = { path, text: readFileSync(path, "utf8") }
    } catch (cause) {
      warnings.push(`opencode: ${TUI_CONFIG_VARIABLE} (${path}) cannot be read (${(cause as Error).message}); the TUI starts without it.\n`)
    }
  }
  const config = overlayTuiConfig(pluginSpec(), user)
  if (config.problem) warnings.push(`opencode: ${config.problem}: ${TUI_CONFIG_VARIABLE} is not valid JSON; the TUI starts without it.\n`)
  let path: string
  try {
    path = writeTuiConfig(config.text, tuiConfigFolders(env))
  } catch (cause) {
    warnings.push(
      `opencode: the overlay's tui.json could not be written (${(cause as Error).message}); the TUI starts without the overlay's plugin, so its /export is the runtime's own. Use ${EXPORT_HINT} instead.\n`,
    )
    return { env, warnings }
  }
  const launched = { ...env, [TUI_CONFIG_VARIABLE]: path }
  const info = launchInfo(original, launched, directory, policy)
  return { env: { ...launched, [LAUNCH_VARIABLE]: JSON.stringify(info) }, warnings }
}
