import { optionArgs } from "../runtime/args.ts"

/**
 * The runtime arguments that ask it to publish (`run --share`, in any of
 * yargs' spellings), or `undefined`. Only `--share=false` / `--no-share` are
 * harmless.
 */
export function publishFlag(argv: ReadonlyArray<string>): string | undefined {
  const args = optionArgs(argv)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--share") {
      const next = args[i + 1]
      if (next === "false" || next === "0") continue
      return arg
    }
    if (arg.startsWith("--share=")) {
      const value = arg.slice("--share=".length).toLowerCase()
      if (value === "false" || value === "0") continue
      return arg
    }
  }
  return undefined
}
