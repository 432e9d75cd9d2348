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
import { isTuiStart, prepareTuiLaunch } from "./tui.ts"
import { sessionLogSettings, type SessionLogSettings } from "../session-log/settings.ts"
import { withSessionLogPlugin } from "../session-log/launch-env.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { reportError } from "../program/report.ts"

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
    const launchEnv = launchEnvironment(process.env, policy)
    if (!launchEnv.ok) {
      process.stderr.write(`opencode: ${contentProblemMessage(launchEnv.problem)}\n`)
      return { code: ExitCode.usage }
    }
    // A TUI start loads the overlay's TUI plugin (or, under --pure, says what that leaves in place).
    // A project that keeps session logs: the TUI writes them as sessions go idle (the plugin), every start when it ends.
    const logs = sessionLogSettings(directory)
    for (const problem of logs.problems) process.stderr.write(`opencode: session log: ${problem}\n`)
    const runtimeEnv = logs.enabled && isTuiStart(argv) ? withSessionLogPlugin(launchEnv.env) : launchEnv.env
    const tui = prepareTuiLaunch(argv, runtimeEnv, policy, directory, process.env)
    for (const warning of tui.warnings) process.stderr.write(warning)
    const status = yield* runtime.foreground(argv, { env: tui.env, directory, signals }).pipe(
      Effect.catchTag("RuntimeSpawnFailed", (e) => reportError("opencode", e).pipe(Effect.map((code) => ({ code })))),
    )
    if (logs.enabled) yield* writeLogsAfter(logs, runtime.location.version)
    return status
  })

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
