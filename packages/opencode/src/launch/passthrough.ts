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
import { prepareTuiLaunch } from "./tui.ts"
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
    const tui = prepareTuiLaunch(argv, launchEnv.env, policy, directory, process.env)
    for (const warning of tui.warnings) process.stderr.write(warning)
    return yield* runtime.foreground(argv, { env: tui.env, directory, signals }).pipe(
      Effect.catchTag("RuntimeSpawnFailed", (e) => reportError("opencode", e).pipe(Effect.map((code) => ({ code })))),
    )
  })

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
