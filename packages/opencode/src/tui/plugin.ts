/**
 * The overlay's TUI plugin, loaded by the runtime's TUI from the overlay's
 * `tui.json` (see `launch/tui.ts`). It registers the registry's session commands
 * in a keymap layer above the runtime's own, under the runtime's internal
 * names, so that each one replaces the built-in command of the same purpose,
 * its slash name and keybind included:
 *
 * - `session.export` (`/export`, `<leader>x`): the registry's export, a dialog
 *   for the open session, or a session picker on the home screen;
 * - while sharing is disabled, `session.share` and `session.unshare`: hidden
 *   from `/` and the command palette; invoked anyway (a keybind, another
 *   plugin) they refuse with the policy's source and point to `/export`. A
 *   session published before offers `/unshare` as "Revoke public link".
 *
 * Where a project opted into sharing, the runtime's own share commands stay.
 * `/search` (the overlay's own) searches the project's sessions' full text.
 */
import type { TuiPluginApi, TuiPluginModule } from "@opencode-ai/plugin/tui"
import type { SharePolicy } from "../config/policy.ts"
import { SESSION_COMMANDS, type AnySessionCommand, type CommandContext, type CommandName } from "../session-command/registry.ts"
import { TUI_PLUGIN_ID } from "../launch/constants.ts"
import { runShare, runUnshare, startExport } from "./dialogs.ts"
import { tuiPolicy } from "./policy.ts"
import { SEARCH_TITLE, startSearch } from "./search-dialog.ts"

/** Above the runtime's own layers (priority 0), so our commands shadow its. */
const PRIORITY = 1

/** The keymap command the runtime's TUI takes (`api.keymap.registerLayer`). */
type KeymapCommand = {
  readonly namespace: "palette"
  readonly name: string
  readonly title: string
  readonly desc: string
  readonly category: string
  readonly slashName: string
  readonly slashAliases: ReadonlyArray<string>
  readonly hidden: boolean
  readonly run: () => void
}

type Actions = Record<CommandName, (api: TuiPluginApi, context: () => CommandContext, directory: string) => Promise<void>>

const actions: Actions = { export: startExport, share: runShare, unshare: runUnshare }

/** The session the TUI shows, if it shows one. */
function currentContext(api: TuiPluginApi, policy: SharePolicy): CommandContext {
  const route = api.route.current
  const sessionID = route.name === "session" ? (route.params as { sessionID?: unknown } | undefined)?.sessionID : undefined
  if (typeof sessionID !== "string") return { policy }
  return { policy, session: { id: sessionID, published: Boolean(api.state.session.get(sessionID)?.share?.url) } }
}

/**
 * One registry entry as a keymap command. Title and visibility are getters:
 * the keymap reads them each time it lists commands, so they follow the
 * screen the TUI shows (a published session offers "Revoke public link").
 */
export function keymapCommand(
  api: TuiPluginApi,
  command: AnySessionCommand,
  context: () => CommandContext,
  directory: string,
): KeymapCommand {
  const run = () => {
    actions[command.name](api, context, directory).catch((cause: unknown) =>
      api.ui.toast({ variant: "error", title: command.title(context()), message: String(cause) }),
    )
  }
  return {
    namespace: "palette",
    name: command.builtin,
    get title() {
      return command.title(context())
    },
    get desc() {
      return command.description(context())
    },
    category: command.category,
    slashName: command.slashName,
    slashAliases: command.aliases,
    get hidden() {
      return !command.availability(context()).offered
    },
    run,
  }
}

/** `/search`: the overlay's own command (the runtime has none of that name). */
function searchCommand(api: TuiPluginApi, directory: string): KeymapCommand {
  return {
    namespace: "palette",
    name: "overlay.search",
    title: SEARCH_TITLE,
    desc: "the full text of this project's sessions: prompts, answers, tool output (redacted)",
    category: "Session",
    slashName: "search",
    slashAliases: [],
    hidden: false,
    run: () => startSearch(api, directory),
  }
}

const tui = async (api: TuiPluginApi): Promise<void> => {
  const directory = api.state.path.directory || process.cwd()
  const policy = tuiPolicy(directory, process.env)
  const context = () => currentContext(api, policy)
  const commands = [
    ...SESSION_COMMANDS.filter((c) => c.replacesBuiltin(policy)).map((c) => keymapCommand(api, c, context, directory)),
    searchCommand(api, directory),
  ]
  const unregister: unknown = api.keymap.registerLayer({ priority: PRIORITY, commands })
  if (typeof unregister === "function") api.lifecycle.onDispose(() => void (unregister as () => void)())
}

const plugin: TuiPluginModule & { id: string } = { id: TUI_PLUGIN_ID, tui }
export default plugin
