import * as Effect from "effect/Effect"
import { describeSource } from "../config/layer.ts"
import { describePolicy, type SharePolicy } from "../config/policy.ts"
import { ShareConfig } from "../config/service.ts"
import { projectDirectory } from "../runtime/args.ts"
import { Runtime, type ExitStatus, type SignalSource } from "../runtime/service.ts"
import { contentProblemMessage, launchEnvironment } from "../share/launch-env.ts"
import { publishFlag } from "../share/publish-request.ts"
import { refusal, refusalText } from "../share/refusal.ts"
import { attachRefusal, attachRequest, probeServer, UNGUARDED_FLAG } from "./attach.ts"
import { isTuiStart, prepareTuiLaunch, isPureStart } from "./tui.ts"
import { sessionLogSettings, type SessionLogSettings } from "../session-log/settings.ts"
import { withSessionLogPlugin } from "../session-log/launch-env.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { reportError } from "../program/report.ts"
import { TeamCredentials } from "../team/credentials.ts"
import { resolveTeamRoute } from "../team/resolve.ts"
import { audienceOf, type TeamRoute } from "../team/route.ts"
import type { TeamEndpoint } from "../team/endpoint.ts"
import { describeReport, withTeamEndpoint } from "../team/with-endpoint.ts"

/**
 * Starts the runtime for a command the overlay does not own: the share policy
 * of the project it will run in is applied to its environment first, and a
 * request to publish is refused before anything starts.
 */
export const launch = (given: ReadonlyArray<string>, signals: SignalSource): Effect.Effect<ExitStatus, never, Runtime | ShareConfig> =>
  Effect.gen(function* () {
    let argv = given
    const config = yield* ShareConfig
    const runtime = yield* Runtime
    const directory = projectDirectory(argv, process.cwd())
    const policy = yield* config.policy(directory, process.env)
    warn(policy)
    const flag = publishFlag(argv)
    if (policy.mode === "disabled" && flag) {
      process.stderr.write(refusalText(refusal(policy, `opencode ${argv[0] ?? ""} ${flag}`.replace(/ +/g, " "))))
      return { code: ExitCode.shareRefused }
    }
    const attach = attachRequest(argv, process.env)
    if (attach) {
      argv = attach.argv
      if (policy.mode === "disabled") {
        const guard = yield* Effect.promise(() => probeServer(attach))
        const refused = attachRefusal(policy, guard, attach.url)
        if (refused && !attach.unguarded) {
          process.stderr.write(`opencode: ${refused.join("\n  ")}\n`)
          return { code: ExitCode.shareRefused }
        }
        if (refused) process.stderr.write(`opencode: ${UNGUARDED_FLAG}: attaching to ${attach.url}, which the overlay does not guard; it may publish this session.\n`)
      }
    }
    // A team server the user is a member of: the runtime shares through the overlay's endpoint, or not at all.
    const team = policy.mode === "disabled" ? undefined : yield* teamRouteOf(config, directory, argv)
    if (team?.kind === "refused") {
      if (flag) {
        process.stderr.write(`opencode: ${flag} refused: ${team.reason}\n`)
        return { code: ExitCode.shareRefused }
      }
      process.stderr.write(`opencode: sharing to ${team.origin} is off: ${team.reason}\n`)
    }
    const effective: SharePolicy = team?.kind === "refused" ? { ...policy, mode: "disabled" } : policy
    // Where a publish from this start goes, and who reads it: said where one may happen (the TUI's /share, --share, "auto").
    if (team?.kind === "team" && (flag || effective.mode === "auto" || isTuiStart(argv)))
      process.stderr.write(`opencode: sessions shared here go to ${audienceOf(team, { kind: "named", url: team.origin, source: team.source })}.\n`)
    // A TUI start loads the overlay's TUI plugin (or, under --pure, says what that leaves in place).
    // A project that keeps session logs: the TUI writes them as sessions go idle (the plugin), every start when it ends.
    const logs = sessionLogSettings(directory)
    for (const problem of logs.problems) process.stderr.write(`opencode: session log: ${problem}\n`)
    const start = (team: TeamEndpoint | undefined): Effect.Effect<ExitStatus | undefined> =>
      Effect.gen(function* () {
        const launchEnv = launchEnvironment(process.env, effective, team ? { team } : {})
        if (!launchEnv.ok) {
          process.stderr.write(`opencode: ${contentProblemMessage(launchEnv.problem)}\n`)
          return undefined
        }
        const runtimeEnv = logs.enabled && isTuiStart(argv) ? withSessionLogPlugin(launchEnv.env) : launchEnv.env
        const tui = prepareTuiLaunch(argv, runtimeEnv, effective, directory, process.env)
        for (const warning of tui.warnings) process.stderr.write(warning)
        return yield* runtime.foreground(argv, { env: tui.env, directory, signals }).pipe(
          Effect.catchTag("RuntimeSpawnFailed", (e) => reportError("opencode", e).pipe(Effect.map((code) => ({ code })))),
        )
      })
    const status =
      team?.kind === "team"
        ? yield* withTeamEndpoint({ origin: team.origin, finishWithinMs: FINISH_WITHIN_MS, waiting: (line) => process.stderr.write(`opencode: ${line}\n`) }, start).pipe(
            Effect.tap(({ report }) => Effect.sync(() => describeReport(team.origin, report).forEach((line) => process.stderr.write(`opencode: ${line}\n`)))),
            Effect.map(({ result }) => result),
            Effect.provide(TeamCredentials.layer()),
            Effect.catchTag("LedgerFailed", (e) => reportError("opencode", e).pipe(Effect.map((code) => ({ code })))),
          )
        : yield* start(undefined)
    if (!status) return { code: ExitCode.usage }
    if (logs.enabled) yield* writeLogsAfter(logs, runtime.location.version)
    return status
  })

/** How long the launcher waits, after the runtime ends, for a team server to take the final sync. */
const FINISH_WITHIN_MS = 60_000

/** The team route of a start in `directory`; a credentials file that cannot be read shares nothing to a team, and says so. */
const teamRouteOf = (config: ShareConfig["Service"], directory: string, argv: ReadonlyArray<string>): Effect.Effect<TeamRoute> =>
  Effect.gen(function* () {
    const layers = yield* config.layers(directory, process.env)
    const resolved = yield* resolveTeamRoute(layers, { pure: isPureStart(argv, process.env) }).pipe(Effect.provide(TeamCredentials.layer()))
    return resolved.route
  }).pipe(
    Effect.catchTag("CredentialsFailed", (e) =>
      Effect.succeed<TeamRoute>({ kind: "refused", origin: "a team server", reason: `the member tokens cannot be read (${e.path}: ${e.message}).` }),
    ),
  )

/**
 * The project's session logs brought up to date once the runtime has ended (a
 * `run` ends as soon as its session is idle, before a plugin could write). A
 * failure is a warning: the runtime's exit status stays the command's.
 */
const writeLogsAfter = (settings: SessionLogSettings, runtimeVersion: string): Effect.Effect<void> =>
  Effect.promise(() => import("../session-log/run.ts")).pipe(
    Effect.flatMap(({ logFromDatabase }) => logFromDatabase(settings, runtimeVersion)),
    Effect.tap((report) =>
      Effect.sync(() => {
        for (const f of report.failed) process.stderr.write(`opencode: session log of ${f.sessionID} not written: ${f.message}\n`)
      }),
    ),
    Effect.catchTag("DatabaseMissing", () => Effect.void),
    Effect.catch((error) => Effect.sync(() => process.stderr.write(`opencode: session log: ${error.message}\n`))),
    Effect.asVoid,
  )

/** Say on stderr what the policy ignored or could not read; silent otherwise. */
function warn(policy: SharePolicy): void {
  for (const { source, problem } of policy.problems) {
    process.stderr.write(
      `opencode: ${describeSource(source)}:${problem.line}:${problem.column}: ${problem.message}; for sharing it counts as "disabled".\n`,
    )
  }
  const ignored = policy.overridden.filter((o) => o.source.kind === "env-content" || o.source.kind === "env-flag")
  if (ignored.length > 0) {
    const names = ignored.map((o) => `${describeSource(o.source)} ("${o.mode}")`).join(", ")
    process.stderr.write(`opencode: sharing stays ${describePolicy(policy)}; ignored ${names}.\n`)
  }
}
