import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { OverlayCommand } from "./program/overlay-command.ts"
import { overlayHelp } from "./cli/help.ts"
import { launch } from "./launch/passthrough.ts"
import { exitLike } from "./program/exit.ts"
import { processSignals, untilStopped } from "./program/signals.ts"
import { ShareConfig } from "./config/service.ts"
import { Runtime, type ExitStatus } from "./runtime/service.ts"
import { reportError } from "./program/report.ts"
import { OVERLAY_NAME, OVERLAY_VERSION, RUNTIME_PACKAGE } from "./version.ts"

/**
 * The commands the overlay owns; everything else is the runtime's. Each
 * module loads only when its command runs, so a passthrough start or a small
 * export does not pay for the server, the export renderers or the share client.
 */
export const commands: ReadonlyArray<OverlayCommand> = [
  {
    name: "export",
    usage: "export [sessionID]",
    summary: "write a session as a Markdown log or lossless JSON, redacted, from the local database (see export --help)",
    load: () => import("./cli/export.ts").then((m) => m.run),
  },
  {
    name: "share",
    usage: "share status|revoke|<sessionID>",
    summary: "show the share policy and published sessions, revoke public links (sharing is off by default)",
    load: () => import("./cli/share.ts").then((m) => m.run),
  },
  {
    name: "serve",
    usage: "serve [--port N] [--hostname H]",
    summary: "the overlay's HTTP server: the runtime's API and web app with share routes refused, session logs at /logs/",
    load: () => import("./server/entry.ts").then((m) => m.serve.run),
  },
  {
    name: "web",
    usage: "web [--port N] [--hostname H]",
    summary: "serve, and open the runtime's web app in a browser: chat, with Export session log inside it, no sharing",
    load: () => import("./server/entry.ts").then((m) => m.web.run),
  },
  {
    name: "search",
    usage: "search <query>",
    summary: "search the full text of every local session (prompts, answers, tool calls), redacted (see search --help)",
    load: () => import("./cli/search.ts").then((m) => m.run),
  },
  {
    name: "session-log",
    usage: "session-log",
    summary: "write this project's sessions as Markdown logs into the project, redacted, if it opted in (see session-log --help)",
    load: () => import("./cli/session-log.ts").then((m) => m.run),
  },
  {
    name: "share-server",
    usage: "share-server [--port N] [--public-url URL]",
    summary: "run a team share server on your own infrastructure (members only); token, shares, audit for its administrators (see share-server --help)",
    load: () => import("@local/share-server/cli").then((m) => m.runShareServer),
  },
  {
    name: "import",
    usage: "import <file>",
    summary: "recreate a session and its subagent sessions from a JSON export, to go on with it here (see import --help)",
    load: () => import("./cli/import.ts").then((m) => m.run),
  },
  {
    name: "upgrade",
    usage: "upgrade",
    summary: "says how to upgrade the overlay (the runtime's upgrade would install an unguarded opencode-ai)",
    load: () => import("./cli/self.ts").then((m) => m.selfCommand("upgrade")),
  },
  {
    name: "uninstall",
    usage: "uninstall",
    summary: "says how to remove the overlay (the runtime's uninstall would delete your sessions)",
    load: () => import("./cli/self.ts").then((m) => m.selfCommand("uninstall")),
  },
]

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h"
const isVersion = (arg: string | undefined) => arg === "--version" || arg === "-v"

export const main = (argv: ReadonlyArray<string>): Effect.Effect<ExitStatus, never, Runtime | ShareConfig> =>
  Effect.gen(function* () {
    const runtime = yield* Runtime
    const first = argv[0]
    if (isVersion(first) && argv.length === 1) {
      process.stdout.write(`${OVERLAY_NAME} ${OVERLAY_VERSION}\n${RUNTIME_PACKAGE} runtime ${runtime.location.version}\n`)
      return { code: 0 }
    }
    if (isHelp(first)) {
      // The runtime prints its help on stderr; ours goes there too, so the two stay in order.
      process.stderr.write(overlayHelp(commands))
    }
    const owned = commands.find((c) => c.name === first)
    if (owned) {
      // A stop signal interrupts the command: its scopes close (temporary files, a private runtime), then this process ends by it.
      const stopped = yield* untilStopped(Effect.flatMap(Effect.promise(owned.load), (run) => run(argv.slice(1))), processSignals)
      return "signal" in stopped ? { signal: stopped.signal } : { code: stopped.done }
    }
    // The runtime's own commands get the signals and decide (Ctrl-C does not quit the TUI).
    return yield* launch(argv, processSignals)
  })

export async function run(argv: ReadonlyArray<string>): Promise<never> {
  const status = await Effect.runPromise(
    main(argv).pipe(
      Effect.provide(Layer.merge(Runtime.layer, ShareConfig.layer)),
      Effect.catchTag("RuntimeNotFound", (e) => reportError("opencode", e).pipe(Effect.map((code) => ({ code })))),
    ),
  )
  return exitLike(status)
}
