/**
 * What the runtime's command line says about where it will run (pure).
 * The share policy is read for that directory, not for wherever the
 * overlay happens to be started.
 */
import { existsSync, statSync } from "node:fs"
import { resolve } from "node:path"

/** The runtime's top-level commands (`opencode --help`, 1.18.33). */
export const RUNTIME_COMMANDS = new Set([
  "completion", "acp", "mcp", "attach", "run", "debug", "providers", "auth", "agent", "upgrade",
  "uninstall", "serve", "web", "models", "stats", "export", "import", "github", "pr", "session",
  "plugin", "plug", "db",
])

/** Options of the runtime that take a separate value (so that value is not a positional). */
const VALUE_OPTIONS = new Set([
  "--log-level", "--port", "--hostname", "--mdns-domain", "--cors", "-m", "--model", "-s", "--session",
  "--prompt", "--agent", "--command", "--format", "-f", "--file", "--title", "--attach", "-p", "--password",
  "-u", "--username", "--dir", "--variant",
])

/** Arguments before `--`, the ones the runtime reads as options. */
export function optionArgs(argv: ReadonlyArray<string>): ReadonlyArray<string> {
  const end = argv.indexOf("--")
  return end === -1 ? argv : argv.slice(0, end)
}

export function positionals(argv: ReadonlyArray<string>): string[] {
  const args = optionArgs(argv)
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++
      continue
    }
    out.push(arg)
  }
  return out
}

/** The value of the first of `names` given (`--name value` or `--name=value`), before `--`. */
export function optionValue(argv: ReadonlyArray<string>, ...names: ReadonlyArray<string>): string | undefined {
  const args = optionArgs(argv)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    for (const name of names) {
      if (arg === name) return args[i + 1]
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1)
    }
  }
  return undefined
}

/** The directory the runtime will treat as its project. */
export function projectDirectory(argv: ReadonlyArray<string>, cwd: string): string {
  const dir = optionValue(argv, "--dir")
  if (dir !== undefined) return resolve(cwd, dir)
  const first = positionals(argv)[0]
  // `opencode <path>` starts the TUI in that project.
  if (first !== undefined && !RUNTIME_COMMANDS.has(first)) {
    const dir = resolve(cwd, first)
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir
  }
  return cwd
}
