/**
 * The share guard as a runtime server plugin. Its `config` hook runs after the
 * runtime has merged every config layer and forces the overlay's decision for
 * the directory this runtime instance serves (a server may serve several
 * projects; each project's own files decide, and its "disabled" is sticky).
 * The launcher's mode is an upper bound: if it says disabled, so does this.
 * The runtime loads this file directly; it imports only plain modules.
 */
import type { Config, Plugin, PluginModule } from "@opencode-ai/plugin"
import { SHARE_MODES, type ShareMode } from "../config/layer.ts"
import { filesShareTarget, sharePolicy } from "../config/share-policy.ts"
import { teamOrigin } from "../team/server-url.ts"
import { CLOSED_SHARE_HOST, GUARD_PLUGIN_ID } from "./constants.ts"

type GuardOptions = { readonly mode?: unknown; readonly teamShareURL?: unknown; readonly teamOrigin?: unknown }

// Anything but a valid mode means disabled: a broken launch fails closed.
const launchMode = (options: GuardOptions | undefined): ShareMode =>
  SHARE_MODES.includes(options?.mode as ShareMode) ? (options?.mode as ShareMode) : "disabled"

/** The overlay's loopback endpoint for a team server: only ever an http URL on 127.0.0.1. */
const teamEndpoint = (options: GuardOptions | undefined): string | undefined => {
  const url = options?.teamShareURL
  return typeof url === "string" && /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/.test(url) ? url : undefined
}

const originOf = (url: string): string | undefined => {
  const read = teamOrigin(url)
  return "origin" in read ? read.origin : undefined
}

const server: Plugin = async (input, options) => {
  const guard = options as GuardOptions | undefined
  const team = teamEndpoint(guard)
  // A private runtime started only to revoke through the team endpoint publishes nothing.
  if (guard?.mode === "revoke")
    return {
      config: async (config: Config) => {
        config.share = "disabled"
        delete (config as { autoshare?: unknown }).autoshare
        config.enterprise = { ...config.enterprise, url: team ?? CLOSED_SHARE_HOST }
      },
    }
  const launched = launchMode(guard)
  // Inside the runtime the environment is the launcher's: the folder's files decide what may be enabled.
  const mode: ShareMode = launched === "disabled" ? "disabled" : sharePolicy(input.directory, process.env, { from: "files" }).mode
  // A server serves several folders: only one whose files name the endpoint's team server shares through it.
  const named = filesShareTarget(input.directory, process.env)
  const throughTeam = team !== undefined && named.kind === "named" && originOf(named.url) === guard?.teamOrigin
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
      // Sharing goes to the team server through the overlay: no config layer (the administrator's, a remote one) moves it.
      if (throughTeam) config.enterprise = { ...config.enterprise, url: team }
    },
  }
}

const plugin: PluginModule & { id: string } = { id: GUARD_PLUGIN_ID, server }
export default plugin
