/**
 * The registry's export: the options a dialog or a request collects, turned
 * into the overlay CLI's `opencode export` arguments (pure), and the Effect
 * that runs it and reads back the path it wrote.
 */
import { isAbsolute } from "node:path"
import * as Effect from "effect/Effect"
import { ExitCode } from "../errors/exit-codes.ts"
import { OUTCOMES, outcomeOfExit } from "../errors/table.ts"
import type { ExportOptions } from "../export/document/choices.ts"
import { CommandFailed } from "./errors.ts"
import { OverlayCli } from "./overlay-cli.ts"
import type { ProcessOutput } from "../runtime/captured-run.ts"

/** What the registry's export is given: a session, the options, and where to write. */
export type ExportInput = ExportOptions & {
  readonly sessionID: string
  /** Absolute path of the file to write. */
  readonly output: string
  /** Replace the file when it exists (`--force`). */
  readonly force: boolean
  /** The project folder: the CLI runs there. */
  readonly directory: string
}

export type Exported = { readonly path: string }

/** `opencode export` arguments for a request; the same request always gives the same arguments. */
export function exportArgs(request: ExportInput): ReadonlyArray<string> {
  return [
    "export",
    request.sessionID,
    "--format",
    request.format,
    "-o",
    request.output,
    ...(request.thinking ? ["--thinking"] : []),
    ...(request.toolDetails ? ["--tool-details"] : []),
    ...(request.diffs ? ["--diffs"] : []),
    ...(request.force ? ["--force"] : []),
  ]
}

/** Writes the export through the overlay CLI; succeeds with the path it wrote. */
export const exportViaCli = (request: ExportInput): Effect.Effect<Exported, CommandFailed, OverlayCli> =>
  Effect.gen(function* () {
    if (!isAbsolute(request.output))
      return yield* new CommandFailed({ command: "export", outcome: OUTCOMES.UsageError, message: `The output path must be absolute: ${request.output}` })
    const cli = yield* OverlayCli
    const result = yield* cli.run("export", exportArgs(request), { cwd: request.directory })
    if (result.code !== ExitCode.ok) return yield* failure("export", result)
    const path = lastLine(result.stdout)
    if (!path)
      return yield* new CommandFailed({ command: "export", outcome: outcomeOfExit(ExitCode.runtimeFailed), message: "opencode export did not say which file it wrote." })
    return { path }
  })

/** A non-zero exit of the overlay CLI as a `CommandFailed`, with the CLI's own words. */
export function failure(command: CommandFailed["command"], result: ProcessOutput): CommandFailed {
  const said = cliMessage(result.stderr)
  return new CommandFailed({
    command,
    outcome: outcomeOfExit(result.code),
    message: said || `opencode ${command} failed (exit code ${result.code}).`,
  })
}

/** The CLI's message without its `opencode:` / `error:` prefixes, one statement per line. */
export function cliMessage(stderr: string): string {
  return stderr
    .split("\n")
    .map((line) => line.replace(/^(opencode|error):\s*/, "").trim())
    .filter((line) => line !== "")
    .join("\n")
}

function lastLine(text: string): string | undefined {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "")
  return lines.at(-1)
}
