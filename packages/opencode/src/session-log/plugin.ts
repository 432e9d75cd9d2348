/**
 * The session log as a runtime server plugin: when a session of a project
 * that opted in goes idle, `opencode session-log` (the overlay's CLI, in a
 * subprocess: this file runs inside the runtime and loads none of the
 * export) brings the project's logs up to date. One run at a time per
 * runtime instance; idle sessions seen meanwhile make one more run after it.
 * A failure is a warning (a toast, the runtime's log), never the session's.
 * The launcher adds this plugin for the TUI and `opencode serve`/`web`; for
 * other commands it brings the logs up to date itself when the runtime ends.
 */
import type { Plugin, PluginModule } from "@opencode-ai/plugin"
import { packageFile } from "../package-files.ts"
import { sessionLogSettings } from "./settings.ts"

export const SESSION_LOG_PLUGIN_ID = "opencode-local-overlay.session-log"
const OVERLAY_BIN = packageFile("bin", "opencode")

type Event = { readonly type: string; readonly properties?: { readonly status?: { readonly type?: string } } }

export const isIdle = (event: Event): boolean =>
  event.type === "session.idle" || (event.type === "session.status" && event.properties?.status?.type === "idle")

const server: Plugin = async (input) => {
  const directory = input.directory
  let running = false
  let again = false
  let lastWarning: string | undefined

  const warn = (message: string) => {
    void input.client.app.log({ body: { service: "session-log", level: "warn", message } }).catch(() => {})
    if (message === lastWarning) return // once, not at every idle
    lastWarning = message
    void input.client.tui.showToast({ body: { variant: "warning", title: "Session log not written", message } }).catch(() => {})
  }

  const writeLogs = (): void => {
    if (running) {
      again = true
      return
    }
    if (!sessionLogSettings(directory).enabled) return
    running = true
    let proc: ReturnType<typeof Bun.spawn>
    try {
      proc = Bun.spawn([OVERLAY_BIN, "session-log", "--quiet"], { cwd: directory, stdin: "ignore", stdout: "ignore", stderr: "pipe" })
    } catch (cause) {
      running = false
      warn(`Could not start ${OVERLAY_BIN}: ${String(cause)}`)
      return
    }
    Promise.all([new Response(proc.stderr as ReadableStream).text(), proc.exited])
      .then(([stderr, code]) => {
        if (code !== 0) warn(stderr.trim() || `opencode session-log ended with ${code}`)
      })
      .catch((cause: unknown) => warn(String(cause)))
      .finally(() => {
        running = false
        if (again) {
          again = false
          writeLogs()
        }
      })
  }

  return {
    event: async ({ event }) => {
      if (isIdle(event as Event)) writeLogs()
    },
  }
}

const plugin: PluginModule & { id: string } = { id: SESSION_LOG_PLUGIN_ID, server }
export default plugin
