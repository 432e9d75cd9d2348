import { describe, expect, test } from "bun:test"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SharePolicy } from "../../src/config/policy.ts"
import { CommandFailed, CommandRefused } from "../../src/session-command/errors.ts"
import { exportArgs, type ExportInput } from "../../src/session-command/export.ts"
import { OverlayCli } from "../../src/session-command/overlay-cli.ts"
import type { ProcessOutput } from "../../src/runtime/captured-run.ts"
import {
  exportCommand,
  findCommand,
  listCommands,
  SESSION_COMMANDS,
  shareCommand,
  unshareCommand,
  type CommandContext,
} from "../../src/session-command/registry.ts"

const byDefault: SharePolicy = { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] }
const byProject: SharePolicy = {
  mode: "disabled",
  source: { kind: "project", path: "/repo/opencode.json" },
  overridden: [{ source: { kind: "env-flag", variable: "OPENCODE_AUTO_SHARE" }, mode: "auto", cause: "project-disabled", reason: "sticky" }],
  problems: [],
}
const manual: SharePolicy = { mode: "manual", source: { kind: "project", path: "/repo/opencode.json" }, overridden: [], problems: [] }

const published = { id: "ses_pub", published: true }
const unpublished = { id: "ses_new", published: false }

const byName = (policy: SharePolicy, session?: { id: string; published: boolean }) =>
  Object.fromEntries(listCommands(policy, session).map((c) => [c.name, c]))

describe("the registry", () => {
  test("is the one list: export, share, unshare, each under a distinct name, slash name and built-in", () => {
    expect(SESSION_COMMANDS.map((c) => c.name)).toEqual(["export", "share", "unshare"])
    for (const key of ["name", "slashName", "builtin"] as const) {
      const values = SESSION_COMMANDS.map((c) => c[key])
      expect(new Set(values).size).toBe(values.length)
    }
    expect(SESSION_COMMANDS.map((c) => c.builtin)).toEqual(["session.export", "session.share", "session.unshare"])
    expect(findCommand("export")).toBe(exportCommand)
    expect(findCommand("revoke")).toBe(unshareCommand)
    expect(findCommand("nope")).toBeUndefined()
  })

  test("a listing is plain JSON: it survives a round trip unchanged", () => {
    for (const policy of [byDefault, byProject, manual])
      for (const session of [undefined, published, unpublished]) {
        const list = listCommands(policy, session)
        expect(JSON.parse(JSON.stringify(list))).toEqual(list)
      }
  })
})

describe("availability while sharing is disabled", () => {
  test("export is offered and replaces the runtime's /export; share and unshare are not offered", () => {
    const list = byName(byDefault, unpublished)
    expect(list.export).toMatchObject({
      slash: "/export",
      title: "Export session log",
      offered: true,
      replacesBuiltin: true,
      builtin: "session.export",
    })
    expect(list.export!.reason).toBeUndefined()
    expect(list.share).toMatchObject({ offered: false, replacesBuiltin: true })
    expect(list.unshare).toMatchObject({ offered: false, replacesBuiltin: true })
  })

  test("the reason names the policy's source and points to /export", () => {
    const share = byName(byProject).share!
    expect(share.reason).toContain("Sharing is disabled (from /repo/opencode.json): /share was refused and nothing was published.")
    expect(share.reason).toContain("/export")
    expect(share.reason).toContain("only a change to that file can enable it")
    expect(share.refusal).toMatchObject({ error: "share_disabled", export: "/export", policy: { mode: "disabled", source: "/repo/opencode.json" } })
    expect(byName(byDefault).share!.reason).toContain('set "share": "manual" in its opencode.json')
    expect(byName(byDefault, unpublished).unshare!.reason).toContain("/unshare has nothing to revoke, this session was never published")
  })

  test('a session published before offers unshare as "Revoke public link"', () => {
    const list = byName(byDefault, published)
    expect(list.unshare).toMatchObject({ offered: true, title: "Revoke public link", replacesBuiltin: true, slash: "/unshare" })
    expect(list.share!.offered).toBe(false)
  })
})

describe('availability in a project that opted in ("manual")', () => {
  test("share is offered and left to the runtime; export stays the overlay's", () => {
    const list = byName(manual, unpublished)
    expect(list.export).toMatchObject({ offered: true, replacesBuiltin: true })
    expect(list.share).toMatchObject({ offered: true, replacesBuiltin: false, title: "Share session" })
    expect(list.unshare).toMatchObject({ offered: false, replacesBuiltin: false, title: "Unshare session" })
    expect(byName(manual, published).unshare).toMatchObject({ offered: true, replacesBuiltin: false })
  })
})

test("exportArgs: the dialog's options as opencode export flags", () => {
  const request: ExportInput = {
    sessionID: "ses_1",
    format: "markdown",
    thinking: false,
    toolDetails: false,
    diffs: false,
    output: "/p/log.md",
    force: false,
    directory: "/p",
  }
  expect(exportArgs(request)).toEqual(["export", "ses_1", "--format", "markdown", "-o", "/p/log.md"])
  expect(exportArgs({ ...request, format: "json", thinking: true, toolDetails: true, diffs: true, force: true })).toEqual([
    "export",
    "ses_1",
    "--format",
    "json",
    "-o",
    "/p/log.md",
    "--thinking",
    "--tool-details",
    "--diffs",
    "--force",
  ])
})

/** An OverlayCli that answers from a script and records what it was asked. */
function fakeCli(answer: (args: ReadonlyArray<string>) => ProcessOutput) {
  const calls: Array<{ args: ReadonlyArray<string>; cwd: string }> = []
  const layer = Layer.succeed(
    OverlayCli,
    OverlayCli.of({
      bin: "/fake/opencode",
      run: (_command, args, options) =>
        Effect.sync(() => {
          calls.push({ args, cwd: options.cwd })
          return answer(args)
        }),
    }),
  )
  return { calls, layer }
}

const run = <A, E>(effect: Effect.Effect<A, E, OverlayCli>, layer: Layer.Layer<OverlayCli>) =>
  Effect.runPromise(Effect.result(Effect.provide(effect, layer)))

const request: ExportInput = {
  sessionID: "ses_1",
  format: "markdown",
  thinking: false,
  toolDetails: false,
  diffs: false,
  output: "/p/log.md",
  force: false,
  directory: "/p",
}

describe("handlers", () => {
  const context: CommandContext = { policy: byDefault, session: unpublished }

  test("export runs opencode export in the project folder and returns the path it printed", async () => {
    const cli = fakeCli(() => ({ code: 0, stdout: "/p/log.md\n", stderr: "Exported …\n" }))
    const result = await run(exportCommand.run(context, request), cli.layer)
    expect(result).toMatchObject({ _tag: "Success", success: { path: "/p/log.md" } })
    expect(cli.calls).toEqual([{ args: exportArgs(request), cwd: "/p" }])
  })

  test("export failures carry the error table's row of the CLI's exit code: exists (3), not found (1), anything else", async () => {
    const cases: Array<[number, string, { exit: number; status: number; code: string }]> = [
      [3, "opencode: /p/log.md already exists; nothing was written.\n", { exit: 3, status: 409, code: "write_refused" }],
      [1, 'opencode: No session "ses_1" in /d/opencode.db.\n', { exit: 1, status: 404, code: "not_found" }],
      [5, "", { exit: 5, status: 502, code: "runtime_failed" }],
      [139, "", { exit: 5, status: 502, code: "runtime_failed" }],
    ]
    for (const [code, stderr, outcome] of cases) {
      const cli = fakeCli(() => ({ code, stdout: "", stderr }))
      const result = await run(exportCommand.run(context, request), cli.layer)
      if (result._tag !== "Failure") throw new Error("expected a failure")
      expect(result.failure).toBeInstanceOf(CommandFailed)
      expect(result.failure).toMatchObject({ outcome })
      expect(result.failure.message).toBe(stderr ? stderr.replace(/^opencode: /, "").trim() : `opencode export failed (exit code ${code}).`)
    }
  })

  test("export refuses a relative output path without running anything", async () => {
    const cli = fakeCli(() => ({ code: 0, stdout: "x\n", stderr: "" }))
    const result = await run(exportCommand.run(context, { ...request, output: "log.md" }), cli.layer)
    expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "CommandFailed", outcome: { exit: 2, status: 400 } } })
    expect(cli.calls).toEqual([])
  })

  test("share while disabled refuses with the policy, and never reaches the CLI", async () => {
    const cli = fakeCli(() => ({ code: 0, stdout: "https://x\n", stderr: "" }))
    const result = await run(shareCommand.run({ policy: byProject, session: unpublished }, { sessionID: "ses_new", directory: "/p" }), cli.layer)
    if (result._tag !== "Failure") throw new Error("expected a refusal")
    expect(result.failure).toBeInstanceOf(CommandRefused)
    expect(result.failure.message).toContain("Sharing is disabled (from /repo/opencode.json)")
    expect(result.failure.message).toContain("/export")
    expect(cli.calls).toEqual([])
  })

  test("share in a project that opted in publishes through opencode share", async () => {
    const cli = fakeCli(() => ({ code: 0, stdout: "https://share.example/s/1\n", stderr: "" }))
    const result = await run(shareCommand.run({ policy: manual, session: unpublished }, { sessionID: "ses_new", directory: "/p" }), cli.layer)
    expect(result).toMatchObject({ _tag: "Success", success: { url: "https://share.example/s/1" } })
    expect(cli.calls.map((c) => c.args)).toEqual([["share", "ses_new"]])
  })

  test("unshare: refused for a session never published, revoked through the CLI for one published before", async () => {
    const cli = fakeCli(() => ({ code: 0, stdout: "revoked ses_pub https://share.example/s/1\n", stderr: "" }))
    const refused = await run(unshareCommand.run({ policy: byDefault, session: unpublished }, { sessionID: "ses_new", directory: "/p" }), cli.layer)
    expect(refused).toMatchObject({ _tag: "Failure", failure: { _tag: "CommandRefused", command: "unshare" } })
    expect(cli.calls).toEqual([])
    const revoked = await run(unshareCommand.run({ policy: byDefault, session: published }, { sessionID: "ses_pub", directory: "/p" }), cli.layer)
    expect(revoked).toMatchObject({ _tag: "Success", success: { url: "https://share.example/s/1" } })
    expect(cli.calls.map((c) => c.args)).toEqual([["share", "revoke", "ses_pub"]])
  })
})
