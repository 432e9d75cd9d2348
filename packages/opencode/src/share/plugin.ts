/**
 * The share guard as a runtime server plugin. Its `config` hook runs after the
 * runtime has merged every config layer and forces the overlay's decision for
 * the directory this runtime instance serves (a server may serve several
 * projects; each project's own files decide, and its "disabled" is sticky).
 * The launcher's mode is an upper bound: if it says disabled, so does this.
 * The runtime loads this file directly; it imports only plain modules.
 */
import type { Config, Plugin, PluginModule } from "@opencode-ai/plugin"
import { resolveSharePolicy } from "../config/policy.ts"
import { readLayers } from "../config/read.ts"
import { CLOSED_SHARE_HOST, GUARD_PLUGIN_ID } from "./constants.ts"

type GuardOptions = { readonly mode?: unknown }

const MODES = ["disabled", "manual", "auto"] as const
type Mode = (typeof MODES)[number]

// Anything but a valid mode means disabled: a broken launch fails closed.
const launchMode = (options: GuardOptions | undefined): Mode =>
  MODES.includes(options?.mode as Mode) ? (options?.mode as Mode) : "disabled"

/** Variables never enable sharing, so the directory's files decide what may. */
function directoryMode(directory: string): Mode {
  const env = { ...process.env, OPENCODE_CONFIG_CONTENT: undefined, OPENCODE_AUTO_SHARE: undefined }
  return resolveSharePolicy(readLayers(directory, env)).mode
}

const server: Plugin = async (input, options) => {
  const launched = launchMode(options as GuardOptions | undefined)
  const mode: Mode = launched === "disabled" ? "disabled" : directoryMode(input.directory)
  return {
    config: async (config: Config) => {
      if (mode === "disabled") {
        config.share = "disabled"
        delete (config as { autoshare?: unknown }).autoshare
        config.enterprise = { ...config.enterprise, url: CLOSED_SHARE_HOST }
        return
      }
      // Enabled by a config file: never more than the files allow ("manual" stays manual).
      if (mode === "manual" && config.share === "auto") config.share = "manual"
      if (config.share === undefined) config.share = mode
    },
  }
}

const plugin: PluginModule & { id: string } = { id: GUARD_PLUGIN_ID, server }
export default plugin
