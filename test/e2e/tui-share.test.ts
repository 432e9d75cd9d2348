/**
 * Sharing in the TUI through the overlay, beyond the default: a project that
 * opted in gets the runtime's own /share back; `--pure` (no plugins) still
 * hides and refuses sharing, and the launcher says what `--pure` leaves in
 * place; a session published before can still be revoked.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { SharePolicy } from "../../packages/opencode/src/config/policy.ts"
import { exportCommand, unshareCommand } from "../../packages/opencode/src/session-command/registry.ts"
import { pureWarning } from "../../packages/opencode/src/launch/tui.ts"
import { turn } from "../support/mock-llm.ts"
import { testWithEvidence } from "../support/artifacts.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { resetPrompt, slashEntries, startTui, Tmux, toastMessage } from "../support/tmux.ts"

// The preload's default timeout reaches only the first test file bun runs (bun 1.4.5); these boot TUIs.
setDefaultTimeout(120_000)

const tmuxMissing = !Tmux.available()
if (tmuxMissing) console.warn("tmux is not installed: skipping the TUI share tests (the test command, bun run test, installs it).")

const byDefault: SharePolicy = { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] }
const OUR_EXPORT = exportCommand.description({ policy: byDefault })

/** Types `text` at an empty prompt and returns the `/` menu once it has opened and settled. */
async function slashMenu(tui: Tmux, text: string) {
  await resetPrompt(tui)
  await tui.type(text)
  // Every prefix used here has fuzzy matches, so the menu opens: it did look.
  await tui.waitFor(`the menu for "${text}"`, (s) => s.includes(text) && slashEntries(s).length > 0)
  const screen = await tui.settle()
  return { screen, entries: slashEntries(screen) }
}

/** A user keybind for the runtime's share command, so a test can invoke it whatever the menus show. */
const shareKey = (sandbox: Sandbox) =>
  writeFileSync(join(sandbox.project, "tui.json"), JSON.stringify({ keybinds: { session_share: "<leader>h" } }))

async function madeSession(sandbox: Sandbox): Promise<string> {
  const made = await sandbox.prompt("hello", [turn.text("Nothing to publish here.")])
  expect(made.code).toBe(0)
  return made.sessionIDs[0]!
}

describe.skipIf(tmuxMissing)('the TUI in a project that opted in ("share": "manual")', () => {
  let sandbox: Sandbox
  let tui: Tmux | undefined
  const test = testWithEvidence(import.meta.path, () => ({ tui, sandbox }))

  beforeAll(async () => {
    sandbox = await createSandbox({ prefix: "tui-manual-", project: { share: "manual" } })
    const id = await madeSession(sandbox)
    tui = await startTui(sandbox, ["--session", id])
    await tui.waitFor("the session", (s) => s.includes("Nothing to publish here."))
  }, 240_000)

  afterAll(async () => {
    await tui?.kill()
    await sandbox?.dispose()
  })

  test("/share is offered again (the runtime's own), and /export is still ours", async () => {
    const share = await slashMenu(tui!, "/sha")
    expect(share.entries.filter((e) => e.slash === "/share")).toEqual([{ slash: "/share", description: "Share session" }])
    const exp = await slashMenu(tui!, "/exp")
    const exports = exp.entries.filter((e) => e.slash === "/export")
    expect(exports).toHaveLength(1)
    expect(OUR_EXPORT.startsWith(exports[0]!.description)).toBe(true)
    // Offered, not used: nothing was published.
    expect(sandbox.capture.requests).toEqual([])
  })
})

describe.skipIf(tmuxMissing)("the TUI started with --pure through the overlay (no plugins)", () => {
  let sandbox: Sandbox
  let sessionID: string
  let tui: Tmux | undefined
  const test = testWithEvidence(import.meta.path, () => ({ tui, sandbox }))
  const stderrFile = () => join(sandbox.root, "stderr.log")

  beforeAll(async () => {
    sandbox = await createSandbox({ prefix: "tui-pure-" })
    sessionID = await madeSession(sandbox)
    shareKey(sandbox)
    tui = await startTui(sandbox, ["--pure", "--session", sessionID], { stderrFile: stderrFile() })
    await tui.waitFor("the session", (s) => s.includes("Nothing to publish here."))
  }, 240_000)

  afterAll(async () => {
    await tui?.kill()
    await sandbox?.dispose()
  })

  test("the launcher says on stderr, before the TUI starts, that /export is the runtime's own unredacted one", () => {
    // Nothing else reached stderr before it: the launcher writes it before it starts the runtime.
    expect(readFileSync(stderrFile(), "utf8").startsWith(pureWarning(byDefault))).toBe(true)
  })

  test("…which it is: /exp lists the runtime's export", async () => {
    const { entries } = await slashMenu(tui!, "/exp")
    expect(entries.filter((e) => e.slash === "/export")).toEqual([{ slash: "/export", description: "Export session transcript" }])
  })

  test("sharing stays hidden: /sha lists nothing, the palette finds nothing", async () => {
    const { screen, entries } = await slashMenu(tui!, "/sha")
    expect(entries.filter((e) => /share/i.test(`${e.slash} ${e.description}`))).toEqual([])
    expect(screen).not.toMatch(/share/i)
    await resetPrompt(tui!)
    await tui!.press("C-p")
    await tui!.waitFor("the command palette", (s) => s.includes("Commands"))
    await tui!.type("share")
    const palette = await tui!.waitFor("the palette's answer", (s) => /^\s*share$/m.test(s) && s.includes("No results found"))
    expect(palette.split("\n").filter((l) => /share/i.test(l)).map((l) => l.trim())).toEqual(["share"])
  })

  test("and refused: the runtime's share command, invoked by its keybind, publishes nothing", async () => {
    await resetPrompt(tui!)
    await tui!.press("C-x", "h")
    // Keys are read in order: once the palette opened by the next key shows, the keybind has been handled.
    await tui!.press("C-p")
    const screen = await tui!.waitFor("the command palette", (s) => s.includes("Commands"))
    expect(screen).not.toContain("Share Session")
    await Bun.sleep(1500) // the runtime batches share requests for a second
    expect(sandbox.capture.requests).toEqual([])
    await resetPrompt(tui!)
  })

  test("control: the same keybind on the bare runtime publishes to the capture server", async () => {
    await tui!.kill()
    tui = await startTui(sandbox, ["--session", sessionID], { via: "bare" })
    await tui.waitFor("the session", (s) => s.includes("Nothing to publish here."))
    await tui.press("C-x", "h")
    await tui.waitFor("the runtime's consent question", (s) => s.includes("Are you sure you want to share it?"))
    await tui.press("Enter")
    await tui.waitFor("a publication", () => sandbox.capture.publishes().length > 0, { timeoutMs: 30_000 })
    expect(sandbox.capture.requests[0]).toMatchObject({ method: "POST", path: "/api/share" })
  })
})

describe.skipIf(tmuxMissing)("the TUI on a session published before sharing was disabled", () => {
  let sandbox: Sandbox
  let tui: Tmux | undefined
  let published = 0
  const test = testWithEvidence(import.meta.path, () => ({ tui, sandbox }))

  beforeAll(async () => {
    sandbox = await createSandbox({ prefix: "tui-revoke-" })
    // Published on the bare runtime (its default lets it), as a user may have done before the overlay.
    const made = await sandbox.prompt("hello", [turn.text("Published once.")], { via: "bare", args: ["--share"] })
    expect(made.code).toBe(0)
    published = sandbox.capture.publishes().length
    expect(published).toBeGreaterThan(0)
    tui = await startTui(sandbox, ["--session", made.sessionIDs[0]!])
    await tui.waitFor("the session", (s) => s.includes("Published once."))
  }, 240_000)

  afterAll(async () => {
    await tui?.kill()
    await sandbox?.dispose()
  })

  test('/unshare is offered as "Revoke public link" and revokes through the overlay; nothing more is published', async () => {
    const t = tui!
    const { entries } = await slashMenu(t, "/unsh")
    const description = unshareCommand.description({ policy: byDefault })
    expect(entries.filter((e) => e.slash === "/unshare").map((e) => description.startsWith(e.description))).toEqual([true])
    expect(entries.some((e) => e.slash === "/share")).toBe(false)
    await t.press("Enter")
    await t.waitFor("the confirmation", (s) => s.includes("Revoke public link") && s.includes("Confirm"))
    await t.press("Enter")
    const screen = await t.waitFor("the result", (s) => s.includes("Share link revoked") || s.includes("Revoke failed"), { timeoutMs: 90_000 })
    expect(toastMessage(screen, "Share link revoked")).toStartWith(sandbox.capture.url)
    expect(sandbox.capture.requests.filter((r) => r.method === "DELETE")).toHaveLength(1)
    expect(sandbox.capture.publishes()).toHaveLength(published)
  })
})
