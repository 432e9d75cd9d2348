import type { CAC } from "cac"
import * as Effect from "effect/Effect"
import { UsageError } from "../errors/usage.ts"

/**
 * Parses `argv` with a cac program whose command actions return Effects, and
 * runs the matched action. `--help` prints the help and yields `undefined`;
 * unknown options, unused or missing arguments become a `UsageError`.
 * cac is the argument library: small, typed, and it handles `--no-<flag>`.
 */
export const parseAndRun = <A, E, R>(
  program: CAC,
  argv: ReadonlyArray<string>,
): Effect.Effect<A | undefined, E | UsageError, R> =>
  Effect.suspend((): Effect.Effect<A | undefined, E | UsageError, R> => {
    try {
      const parsed = program.parse(["bun", program.name, ...argv], { run: false })
      if (parsed.options.help) return Effect.succeed(undefined) // cac already printed it
      keepOptionText(program, argv)
      const result = program.runMatchedCommand() as Effect.Effect<A, E, R> | undefined
      if (result === undefined)
        return Effect.fail(new UsageError({ message: `unknown command: ${argv.join(" ")}`, hint: `${program.name} --help` }))
      return result
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      return Effect.fail(new UsageError({ message, hint: `${program.name} --help` }))
    }
  })

/**
 * cac's parser (mri) reads an option's value as a number wherever it looks
 * like one: `-o 007` became 7, `-o ""` became 0 (and a file named "0"). Where
 * it did, the value is put back as it was written.
 */
function keepOptionText(program: CAC, argv: ReadonlyArray<string>): void {
  const options = [...program.globalCommand.options, ...(program.matchedCommand?.options ?? [])].filter((o) => !o.isBoolean)
  for (const option of options) {
    const parsed = program.options[option.name]
    if (typeof parsed !== "number" && !(Array.isArray(parsed) && parsed.some((v) => typeof v === "number"))) continue
    const flags = option.rawName.split(/[\s,]+/).filter((word) => word.startsWith("-"))
    const written: string[] = []
    for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
      const token = argv[i]!
      for (const flag of flags) {
        if (token === flag && i + 1 < argv.length) written.push(argv[++i]!)
        else if (token.startsWith(`${flag}=`)) written.push(token.slice(flag.length + 1))
      }
    }
    if (written.length > 0) program.options[option.name] = written.length === 1 ? written[0] : written
  }
}
