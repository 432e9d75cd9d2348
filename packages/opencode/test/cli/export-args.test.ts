import { describe, expect, test } from "bun:test"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { parseExportArgs } from "../../src/cli/export-args.ts"

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0)
const parse = (...argv: string[]) => Effect.runSyncExit(parseExportArgs(argv, NOW))
const ok = (...argv: string[]) => {
  const exit = parse(...argv)
  if (!Exit.isSuccess(exit) || exit.value === undefined) throw new Error(`expected ${argv.join(" ")} to parse`)
  return exit.value
}
const problem = (...argv: string[]) => {
  const exit = parse(...argv)
  if (Exit.isSuccess(exit)) throw new Error(`expected ${argv.join(" ")} to be refused`)
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error as { _tag: string; message: string; hint?: string } | undefined
  expect(error?._tag).toBe("UsageError")
  expect(error?.hint).toBe("opencode export --help")
  return error!.message
}

describe("opencode export's arguments", () => {
  test("the defaults: Markdown into a file, redacted, subagents included", () => {
    expect(ok("ses_1")).toEqual({
      sessionID: "ses_1",
      format: "markdown",
      stdout: false,
      force: false,
      thinking: false,
      toolDetails: false,
      diffs: false,
      redact: true,
      children: true,
      last: false,
      all: false,
    })
  })

  test("every option lands in its field", () => {
    expect(ok("ses_1", "--format", "html", "-o", "out/", "--force", "--thinking", "--tool-details", "--diffs", "--no-redact", "--no-children", "--data-dir", "/d")).toMatchObject({
      format: "html",
      output: "out/",
      force: true,
      thinking: true,
      toolDetails: true,
      diffs: true,
      redact: false,
      children: false,
      dataDir: "/d",
    })
    expect(ok("--last", "--stdout", "--attach", "http://127.0.0.1:4096")).toMatchObject({ last: true, stdout: true, attach: "http://127.0.0.1:4096" })
  })

  test("a value is kept as it was written, numbers included (cac's parser read 007 as 7, and an empty one as 0)", () => {
    expect(ok("ses_1", "-o", "007").output).toBe("007")
    expect(ok("ses_1", "--output=0012").output).toBe("0012")
    expect(ok("ses_1", "--data-dir", "1e3").dataDir).toBe("1e3")
  })

  test("--since takes a duration or a date, only with --all", () => {
    expect(ok("--all", "--since", "7d").since).toBe(NOW - 7 * 24 * 3600 * 1000)
    expect(ok("--all", "--since", "2026-12-01").since).toBeNumber()
    expect(problem("ses_1", "--since", "7d")).toBe("--since works with --all")
    expect(problem("--all", "--since", "soon")).toContain('--since "soon" is not')
  })

  test("combinations that say two things are refused with what to do", () => {
    expect(problem("--format", "pdf")).toBe('--format must be markdown, json or html, not "pdf"')
    expect(problem("ses_1", "--last")).toBe("give a session id, --last or --all, not more than one")
    expect(problem("--last", "--all")).toBe("give --last or --all, not both")
    expect(problem("--all", "--stdout")).toContain("--stdout writes one session")
    expect(problem("ses_1", "--stdout", "-o", "x.md")).toBe("give --stdout or -o, not both")
    // cac's own words where an option's value is missing altogether; the overlay's where it is empty.
    expect(problem("ses_1", "-o")).toContain("value is missing")
    expect(problem("ses_1", "-o", "")).toBe("-o/--output needs a file or folder")
    expect(problem("ses_1", "--data-dir")).toContain("value is missing")
    expect(problem("ses_1", "--attach", "")).toBe("--attach needs a value")
    expect(problem("ses_1", "--data-dir", "/d", "--attach", "http://x")).toBe("give --data-dir or --attach, not both")
  })
})
