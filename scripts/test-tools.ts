/**
 * The system programs the test suite drives, provided before it runs: tmux
 * (the TUI tests), Chromium (the browser tests) and PostgreSQL (the team share
 * server on several instances), from Debian's packages.
 * Run by the README's test command, so a fresh machine with only Node.js and
 * npm passes the whole suite. Where a program is missing and cannot be
 * installed here (not root, no apt-get), it says in one line what to install
 * and exits 1: the suite would not be complete without it.
 */
import { existsSync, readdirSync } from "node:fs"

type Tool = { readonly name: string; readonly debianPackage: string; readonly present: () => boolean }

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** A PostgreSQL server's programs where Debian puts them (`/usr/lib/postgresql/<version>/bin/postgres`); test/support/postgres.ts runs them. */
const postgresInstalled = () => existsSync("/usr/lib/postgresql") && readdirSync("/usr/lib/postgresql").some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))

const TOOLS: ReadonlyArray<Tool> = [
  { name: "tmux", debianPackage: "tmux", present: () => Bun.which("tmux") !== null },
  { name: `Chromium (${CHROMIUM})`, debianPackage: "chromium", present: () => existsSync(CHROMIUM) },
  { name: "PostgreSQL", debianPackage: "postgresql", present: postgresInstalled },
]

const missing = TOOLS.filter((tool) => !tool.present())
if (missing.length === 0) process.exit(0)

const packages = missing.map((tool) => tool.debianPackage)
const names = missing.map((tool) => tool.name).join(" and ")
const isRoot = process.getuid?.() === 0
const aptGet = Bun.which("apt-get")

if (!isRoot || !aptGet || process.env.OVERLAY_TEST_NO_INSTALL === "1") {
  const how = aptGet ? `run sudo apt-get install -y ${packages.join(" ")}` : `install ${packages.join(", ")} with your system's package manager`
  process.stderr.write(`The tests need ${names}, which ${missing.length === 1 ? "is" : "are"} missing: ${how}, then run the tests again.\n`)
  process.exit(1)
}

process.stderr.write(`Installing ${packages.join(", ")} from Debian's packages for the tests (${names} missing)...\n`)
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...packages]]) {
  const proc = Bun.spawnSync([aptGet, ...args], { env, stdin: "ignore", stdout: "inherit", stderr: "inherit" })
  if (proc.exitCode !== 0) {
    process.stderr.write(`apt-get ${args.join(" ")} failed (exit ${proc.exitCode}): install ${packages.join(" ")} by hand, then run the tests again.\n`)
    process.exit(1)
  }
}
const still = missing.filter((tool) => !tool.present())
if (still.length > 0) {
  process.stderr.write(`${still.map((t) => t.name).join(" and ")} still missing after apt-get install ${packages.join(" ")}.\n`)
  process.exit(1)
}
