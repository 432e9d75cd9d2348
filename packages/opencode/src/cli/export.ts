/**
 * `opencode export [sessionID]`: the overlay's own export command. The
 * arguments are checked first (export-args.ts); the work (and its heavier
 * modules) is loaded only when there is work to do, so `--help` stays fast.
 */
import * as Effect from "effect/Effect"
import { ExitCode } from "../errors/exit-codes.ts"
import { reportUsage } from "../program/report.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { Runtime } from "../runtime/service.ts"
import { parseExportArgs } from "./export-args.ts"

export const run: CommandRun = (argv) =>
  Effect.gen(function* () {
    const args = yield* parseExportArgs(argv)
    if (args === undefined) return ExitCode.ok // --help
    const runtime = yield* Runtime
    const { runExport } = yield* Effect.promise(() => import("./export-run.ts"))
    return yield* runExport(args, runtime.location.version)
  }).pipe(Effect.catchTag("UsageError", reportUsage))
