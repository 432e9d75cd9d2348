import { sessionLogSettings } from "../session-log/settings.ts"
import { withSessionLogPlugin } from "../session-log/launch-env.ts"
import { existsSync } from "node:fs"
import { networkInterfaces } from "node:os"
import { join } from "node:path"
import { cac } from "cac"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import * as Semaphore from "effect/Semaphore"
import { sharePolicy } from "../config/share-policy.ts"
import { ShareConfig } from "../config/service.ts"
import { parseAndRun } from "../program/args.ts"
import { reportError } from "../program/report.ts"
import type { CommandModule } from "../program/overlay-command.ts"
import type { RuntimeSpawnFailed } from "../runtime/errors.ts"
import { UsageError } from "../errors/usage.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { startRuntimeServer } from "../runtime/server.ts"
import { Runtime } from "../runtime/service.ts"
import { contentProblemMessage, launchEnvironment } from "../share/launch-env.ts"
import { Publications } from "../share/publications.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { HTTPException } from "hono/http-exception"
import type { ExportOptions } from "../export/document/choices.ts"
import { makeApp, type AppDeps, type ExportedFile } from "./app.ts"
import { httpError } from "./http-error.ts"
import { listSessions } from "../storage/session-list.ts"
import { isKnownFolder, sameFolder } from "../storage/known-folders.ts"
import { searchHistory } from "../history/service.ts"
import { hostAllowList, isLoopback, isWildcard, parseAddedHost, type HostEntry } from "../http/hosts.ts"
import { websocketPipe } from "./websocket-proxy.ts"
import { packageFile } from "../package-files.ts"
import { TeamCredentials } from "../team/credentials.ts"
import { resolveTeamRoute } from "../team/resolve.ts"
import { openTeamEndpoint } from "../team/with-endpoint.ts"

/**
 * The built web app, served at `/`: inside the package when installed from
 * the tarball (`bun run pack` puts it there), else the workspace's build.
 */
export const APP_DIST = [packageFile("app"), packageFile("..", "app", "dist")].find((dir) => existsSync(join(dir, "index.html"))) ?? packageFile("..", "app", "dist")

type ServeOptions = {
  port?: number | string
  hostname?: string
  allowHost?: string | ReadonlyArray<string>
  dataDir?: string
  open?: boolean
  printLogs?: boolean
  logLevel?: string
}

export type ServeExtras = {
  readonly exportSession: (sessionID: string, options: ExportOptions) => Effect.Effect<ExportedFile, HTTPException>
  readonly commands: AppDeps["commands"]
}
/** The routes that need the export service and the command registry, given where the database is. */
export type Extras = (context: { dataDir?: string; runtimeVersion: string }) => ServeExtras

/**
 * The team endpoint of the folder a server serves, when its sharing goes to a
 * team server the user is a member of; none otherwise. A route that is
 * refused (a console account would divert it) is said on stderr and turns
 * sharing off for this server.
 */
const teamEndpointFor = (config: ShareConfig["Service"], cwd: string, dataDir: string | undefined) =>
  Effect.gen(function* () {
    const layers = yield* config.layers(cwd, process.env)
    const { route } = yield* resolveTeamRoute(layers, { pure: false, ...(dataDir ? { dataDir } : {}) })
    if (route.kind === "refused") {
      process.stderr.write(`opencode: sharing to ${route.origin} is off: ${route.reason}\n`)
      return "refused" as const
    }
    if (route.kind !== "team") return undefined
    return yield* openTeamEndpoint({ origin: route.origin, finishWithinMs: 30_000, waiting: (line) => process.stderr.write(`opencode: ${line}\n`), ...(dataDir ? { dataDir } : {}) }, (lines) =>
      lines.forEach((line) => process.stderr.write(`opencode: ${line}\n`)),
    )
  }).pipe(Effect.provide(TeamCredentials.layer()))

/**
 * `opencode serve` / `opencode web`: the overlay's server in front of a private
 * runtime server. The runtime listens on a loopback port with a password only
 * this process knows, started with the share guard's environment.
 */
const serve = (web: boolean, options: ServeOptions, extras: Extras) =>
  Effect.scoped(
    Effect.gen(function* () {
      const hostname = options.hostname ?? "127.0.0.1"
      const port = Number(options.port ?? 0)
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        return yield* new UsageError({ message: `--port must be a port number, not ${options.port}`, hint: `opencode ${web ? "web" : "serve"} --help` })
      const added: HostEntry[] = []
      for (const spec of [options.allowHost ?? []].flat()) {
        const entry = parseAddedHost(String(spec))
        if ("problem" in entry) return yield* new UsageError({ message: entry.problem, hint: `opencode ${web ? "web" : "serve"} --help` })
        added.push(entry)
      }
      const password = process.env.OPENCODE_SERVER_PASSWORD || undefined
      if (!isLoopback(hostname) && !password)
        return yield* new UsageError({
          message: `refusing to listen on ${hostname} without a password: anyone who can reach it could read every session. Set OPENCODE_SERVER_PASSWORD, or listen on 127.0.0.1.`,
        })

      const cwd = process.cwd()
      const config = yield* ShareConfig
      const policy = yield* config.policy(cwd, process.env)
      // A team server the user is a member of: the runtime shares through an endpoint open as long as this server.
      const team = policy.mode === "disabled" ? undefined : yield* teamEndpointFor(config, cwd, options.dataDir)
      const launch =
        team === "refused"
          ? launchEnvironment(process.env, { ...policy, mode: "disabled" })
          : launchEnvironment(process.env, policy, team ? { team } : {})
      if (!launch.ok)
        return yield* new UsageError({ message: contentProblemMessage(launch.problem) })
      // The session log's plugin where the folder served opted in: logs follow sessions as they go idle.
      const runtimeEnv: Record<string, string | undefined> = sessionLogSettings(cwd).enabled ? { ...withSessionLogPlugin(launch.env) } : { ...launch.env }
      delete runtimeEnv.OPENCODE_SERVER_PASSWORD
      delete runtimeEnv.OPENCODE_SERVER_USERNAME
      const runtimeArgs = [...(options.printLogs ? ["--print-logs"] : []), ...(options.logLevel ? ["--log-level", options.logLevel] : [])]
      const runtime = yield* startRuntimeServer({ env: runtimeEnv, cwd, args: runtimeArgs })

      const db = RuntimeDatabase.layer(options.dataDir)
      const share = yield* Effect.provide(
        Publications,
        Publications.layer(db, process.env, cwd, options.dataDir).pipe(Layer.provide(ShareConfig.layer), Layer.provide(TeamCredentials.layer())),
      )
      // Requests run as fibers of this scope: when serve is stopped, a download in progress is
      // interrupted and cleans up (its temporary files) before the runtime is stopped.
      const run = yield* FiberSet.makeRuntimePromise<never, unknown, HTTPException>()
      const searchOnce = yield* Semaphore.make(1)
      const runtimeVersion = (yield* Runtime).location.version
      const more = extras({ dataDir: options.dataDir, runtimeVersion })
      // Bound first (a port of 0 becomes a real one), then the app that knows which names it answers to;
      // nothing can arrive in between, as both happen in this one turn of the event loop.
      let app: ReturnType<typeof makeApp> | undefined
      const server = Bun.serve({
        hostname,
        port,
        fetch: (request, bun) => app?.fetch(request, bun) ?? new Response(null, { status: 503 }),
        websocket: websocketPipe,
        idleTimeout: 0,
      })
      yield* Effect.addFinalizer(() => Effect.sync(() => server.stop(true)))
      const hosts = hostAllowList({ hostname, port: server.port! }, { added, interfaces: machineAddresses() })
      app = makeApp({
        runtime,
        hosts,
        policyFor: (directory) => sharePolicy(directory ?? cwd, process.env),
        // No database yet (nothing was ever run in this home): no sessions.
        sessions: () =>
          run(
            Effect.provide(listSessions, db).pipe(
              Effect.catchTag("DatabaseMissing", () => Effect.succeed([])),
              Effect.mapError(httpError),
            ),
          ),
        // The folder it was started in (the user chose it), and those the runtime has (none before its database exists).
        knownFolder: async (folder) =>
          sameFolder(folder, cwd) ||
          run(
            Effect.provide(isKnownFolder(folder), db).pipe(
              Effect.catchTag("DatabaseMissing", () => Effect.succeed(false)),
              Effect.mapError(httpError),
            ),
          ),
        revoke: (sessionID) => run(share.unshare(sessionID).pipe(Effect.mapError(httpError))),
        // One update of the index at a time in this server; searches wait for it.
        search: (request) => run(Semaphore.withPermits(searchOnce, 1)(searchHistory(request, db)).pipe(Effect.mapError(httpError))),
        exportSession: (sessionID, exportOptions) => run(more.exportSession(sessionID, exportOptions)),
        commands: more.commands,
        assets: APP_DIST,
        password,
        runtimeVersion,
      })

      const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.port}`
      process.stdout.write(`opencode overlay listening on ${url}\n`)
      process.stderr.write(`Sharing: ${policy.mode}; the runtime's API is proxied, its share routes are refused while disabled.\n`)
      // Browsers are served only where they send Fetch Metadata: on loopback, or over HTTPS through a proxy (request-guard.ts).
      const why = "over plain HTTP at a network address, a browser cannot say which site sent it"
      const browse = isLoopback(hostname) ? url : isWildcard(hostname) ? `http://${hostname.includes(":") ? "[::1]" : "127.0.0.1"}:${server.port}` : undefined
      if (!isLoopback(hostname))
        process.stderr.write(
          browse
            ? `Browsers are served at ${browse}, on this machine (${why}); from elsewhere, come over HTTPS through a proxy in front (--allow-host) or an SSH tunnel to it.\n`
            : `Browsers are not served at ${url} (${why}): come over HTTPS through a proxy in front (--allow-host), or listen on 127.0.0.1 and come through an SSH tunnel.\n`,
        )
      if (web && options.open !== false && browse) openBrowser(browse)

      // Serve until the entry point interrupts this on a stop signal; the scope then stops
      // the server, the requests in progress and the runtime, in that order.
      return yield* Effect.never
    }),
  )

/** The machine's own addresses, for a server bound to all of them. */
const machineAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []))

function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open"
  if (!Bun.which(opener)) {
    process.stderr.write(`Open ${url} in your browser.\n`)
    return
  }
  Bun.spawn([opener, url], { stdio: ["ignore", "ignore", "ignore"] }).exited.catch(() => {})
}

export const serveCommand = (name: "serve" | "web", extras: Extras): CommandModule => {
  const web = name === "web"
  const program = () => {
    const cli = cac(`opencode ${name}`)
    const command = cli
      .command(
        "",
        web
          ? "Start the overlay server and open the runtime's web app in a browser (Export session log inside it; session logs at /logs/)"
          : "Start the overlay server: the runtime's API and web app, share routes refused; session logs at /logs/",
      )
      .option("--port <port>", "Port to listen on (default: a free port)")
      .option("--hostname <host>", "Address to listen on; anything but loopback needs OPENCODE_SERVER_PASSWORD", { default: "127.0.0.1" })
      .option(
        "--allow-host <name>",
        "Also answer requests for this name (a reverse proxy's: name or name:port; repeat for more). Only the bound address's names are answered otherwise (docs/security.md)",
      )
      .option("--data-dir <dir>", "Folder holding the runtime's opencode.db (default: $XDG_DATA_HOME/opencode)")
      .option("--print-logs", "Print the runtime's logs to stderr")
      .option("--log-level <level>", "The runtime's log level (DEBUG, INFO, WARN, ERROR)")
    if (web) command.option("--no-open", "Do not open a browser")
    command.action((options: ServeOptions) => serve(web, options, extras))
    cli.help()
    return cli
  }
  return {
    run: (argv) =>
      parseAndRun<number, UsageError | RuntimeSpawnFailed, Runtime | ShareConfig>(program(), argv).pipe(
        Effect.map((code) => code ?? ExitCode.ok),
        Effect.provide(ShareConfig.layer),
        Effect.catch((error) => reportError("opencode", error)),
      ),
  }
}
