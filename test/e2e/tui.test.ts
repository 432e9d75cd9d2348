/**
 * The runtime's own TUI, started through the overlay and driven in tmux, on a
 * real session made by the harness. `/export` (and its keybind) is the
 * registry's export, and writes what `opencode export` writes; `/search`
 * finds a session's words and opens it; there is no
 * way to share from the TUI; and the share-capture server (the share host of
 * the project's config) sees no request during the whole run.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { exportCommand } from "../../packages/opencode/src/session-command/registry.ts"
import { defaultFileName } from "../../packages/opencode/src/export/write/naming.ts"
import { turn } from "../support/mock-llm.ts"
import { testWithEvidence } from "../support/artifacts.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { resetPrompt, slashEntries, startTui, Tmux, toastMessage } from "../support/tmux.ts"

// The preload's default timeout reaches only the first test file bun runs (bun 1.4.5); these boot TUIs.
setDefaultTimeout(120_000)

const tmuxMissing = !Tmux.available()
if (tmuxMissing) console.warn("tmux is not installed: skipping the TUI tests (the test command, bun run test, installs it).")

/** A JSON export records when it was made; the same fixed time on both sides makes the bytes comparable. */
const FIXED_TIME = { SOURCE_DATE_EPOCH: "1767225600" }

const DIALOG = "Export session log: "
const EXPORTED = "Session log exported"

/** The screen as one line: a dialog wraps its text at its own width. */
const flat = (screen: string) => screen.replace(/\s+/g, " ")


/**
 * Waits for the export toast naming `expected` (an earlier export's toast may
 * still be on screen) and returns the path it names; an error toast fails.
 */
async function exportedPath(tui: Tmux, expected: string): Promise<string> {
  const screen = await tui.waitFor(
    `the toast naming ${expected}`,
    (s) => toastMessage(s, EXPORTED) === expected || s.includes("Export failed"),
  )
  expect(screen).not.toContain("Export failed")
  return toastMessage(screen, EXPORTED)!
}

function sessionRow(sandbox: Sandbox, id: string): { slug: string; title: string; time: { created: number } } {
  const db = sandbox.database()
  try {
    const row = db.query<{ slug: string; title: string; created: number }, [string]>("select slug, title, time_created as created from session where id = ?").get(id)
    if (!row) throw new Error(`no session ${id}`)
    return { slug: row.slug, title: row.title, time: { created: row.created } }
  } finally {
    db.close()
  }
}

describe.skipIf(tmuxMissing)("the TUI through the overlay: /export is ours, sharing is gone", () => {
  let sandbox: Sandbox
  let tui: Tmux | undefined
  let sessionID: string
  let olderID: string
  const test = testWithEvidence(import.meta.path, () => ({ tui, sandbox }))

  beforeAll(async () => {
    sandbox = await createSandbox({ prefix: "tui-test-", title: "Fix the flaky build" })
    // Two real sessions: the picker on the home screen lists the newer first.
    const older = await sandbox.prompt("an older question", [turn.text("An older answer.")])
    olderID = older.sessionIDs[0]!
    await Bun.sleep(1100) // distinct update times
    const made = await sandbox.prompt("compute the answer", [
      turn.bash("printf 'tui-%s\\n' $((6*7))", "Compute the answer"),
      turn.text("The answer is 42.", "The shell printed tui-42, so the answer is 42."),
    ])
    expect(made.code).toBe(0)
    sessionID = made.sessionIDs[0]!
    // A key for the runtime's share command, so the test can invoke it anyway.
    writeFileSync(join(sandbox.project, "tui.json"), JSON.stringify({ keybinds: { session_share: "<leader>h" } }))
    tui = await startTui(sandbox, ["--session", sessionID], { env: FIXED_TIME })
    await tui.waitFor("the session", (s) => s.includes("The answer is 42."))
  }, 240_000)

  afterAll(async () => {
    await tui?.kill()
    await sandbox?.dispose()
  })

  test("typing /exp lists exactly one /export, ours; running it writes the file named in the toast, byte-identical to opencode export", async () => {
    const t = tui!
    await resetPrompt(t)
    await t.type("/exp")
    const menu = await t.waitFor("the slash menu", (s) => slashEntries(s).some((e) => e.slash === "/export"))
    const exports = slashEntries(menu).filter((e) => e.slash === "/export")
    expect(exports).toHaveLength(1)
    expect(exportCommand.description({ policy: { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] } })).toStartWith(exports[0]!.description)
    expect(menu).not.toContain("Export session transcript") // the runtime's own

    await t.press("Enter")
    const dialog = await t.waitFor("the export dialog", (s) => s.includes(DIALOG))
    expect(dialog).toContain("Format: Markdown")
    expect(dialog).toContain("[ ] Reasoning")
    expect(dialog).toContain("[ ] Tool details")
    expect(dialog).toContain("[ ] Diffs")
    const expectedName = defaultFileName(sessionRow(sandbox, sessionID), "markdown")
    expect(dialog).toContain(expectedName)

    await t.press("Enter") // "Export", the first row: the defaults
    const path = await exportedPath(t, join(sandbox.project, expectedName))
    expect(existsSync(path)).toBe(true)

    const cli = await sandbox.run(["export", sessionID, "-o", join(sandbox.root, "cli.md")], { env: FIXED_TIME })
    expect(cli.code).toBe(0)
    const ours = readFileSync(path)
    expect(ours.equals(readFileSync(join(sandbox.root, "cli.md")))).toBe(true)
    expect(ours.toString()).toContain(sessionID)
  })

  test("typing /sha lists nothing, and the command palette's search for share finds nothing", async () => {
    const t = tui!
    await resetPrompt(t)
    await t.type("/sha")
    // The menu opens with the fuzzy matches there are (/timestamps, /agents…): it did look.
    await t.waitFor("the slash menu", (s) => s.includes("/sha") && slashEntries(s).length > 0)
    const screen = await t.settle()
    const entries = slashEntries(screen)
    expect(entries.filter((e) => /share/i.test(`${e.slash} ${e.description}`))).toEqual([])
    expect(screen).not.toMatch(/share/i)

    await resetPrompt(t)
    await t.press("C-p")
    await t.waitFor("the command palette", (s) => s.includes("Commands"))
    await t.type("export")
    // Control: the palette finds commands, ours among them.
    await t.waitFor("our command in the palette", (s) => s.includes("Export session log"))
    for (let i = 0; i < "export".length; i++) await t.press("BSpace")
    await t.type("share")
    const palette = await t.waitFor("the palette's answer", (s) => /^\s*share$/m.test(s) && s.includes("No results found"))
    // The only "share" on screen is the search text itself.
    expect(palette.split("\n").filter((l) => /share/i.test(l)).map((l) => l.trim())).toEqual(["share"])
  })

  test("the runtime's export keybind (<leader>x) opens ours too; its options give the CLI's bytes", async () => {
    const t = tui!
    await resetPrompt(t)
    await t.press("C-x", "x")
    await t.waitFor("the export dialog", (s) => s.includes(DIALOG))
    // Down to each option and Enter toggles it; the dialog keeps the cursor on the row toggled.
    await t.press("Down", "Enter")
    await t.waitFor("JSON", (s) => s.includes("Format: JSON"))
    await t.press("Down", "Enter")
    await t.waitFor("reasoning on", (s) => s.includes("[x] Reasoning"))
    await t.press("Down", "Enter")
    await t.waitFor("tool details on", (s) => s.includes("[x] Tool details"))
    await t.press("Down", "Enter")
    const ready = await t.waitFor("diffs on", (s) => s.includes("[x] Diffs"))
    const expectedName = defaultFileName(sessionRow(sandbox, sessionID), "json")
    expect(ready).toContain(expectedName)
    await t.press("Up", "Up", "Up", "Up", "Enter")

    const path = await exportedPath(t, join(sandbox.project, expectedName))
    const cliPath = join(sandbox.root, "cli.json")
    const cli = await sandbox.run(["export", sessionID, "--format", "json", "--thinking", "--tool-details", "--diffs", "-o", cliPath], {
      env: FIXED_TIME,
    })
    expect(cli.code).toBe(0)
    expect(readFileSync(path, "utf8")).toBe(readFileSync(cliPath, "utf8"))
    expect(readFileSync(path).equals(readFileSync(cliPath))).toBe(true)
    // The options took effect: the reasoning and the tool's output are in the file.
    const text = readFileSync(path, "utf8")
    expect(text).toContain("The shell printed tui-42")
    expect(text).toContain("tui-42")
  })

  test("exporting again to the same file asks before replacing it; Escape leaves the file as it was", async () => {
    const t = tui!
    const path = join(sandbox.project, defaultFileName(sessionRow(sandbox, sessionID), "markdown"))
    writeFileSync(path, "kept\n")
    await resetPrompt(t)
    await t.press("C-x", "x")
    await t.waitFor("the export dialog", (s) => s.includes(DIALOG))
    await t.press("Enter")
    const question = await t.waitFor("the replace question", (s) => s.includes("Replace file?"))
    // The path wraps anywhere in the dialog; compare without the white space.
    expect(question.replace(/\s+/g, "")).toContain(`${path}exists.Replaceitwiththisexport?`)
    await t.press("Escape")
    await t.waitFor("the question to close", (s) => !s.includes("Replace file?"))
    await t.settle()
    expect(readFileSync(path, "utf8")).toBe("kept\n")
  })

  test("the runtime's share command invoked anyway (a user keybind) refuses, names the policy's source and points to /export", async () => {
    const t = tui!
    await resetPrompt(t)
    await t.press("C-x", "h")
    const alert = flat(await t.waitFor("the refusal", (s) => s.includes("Sharing is disabled")))
    expect(alert).toContain("Sharing is disabled (default): /share was refused and nothing was published.")
    expect(alert).toContain("/export")
    await t.press("Enter")
    await t.waitFor("the alert to close", (s) => !s.includes("/share was refused"))
  })

  test("/search searches as one types, lists the project's hits with their snippets, says what is wrong with a query, and opens the chosen hit's session", async () => {
    const t = tui!
    await resetPrompt(t)
    await t.type("/search")
    const menu = await t.waitFor("the slash menu", (s) => slashEntries(s).some((e) => e.slash === "/search"))
    expect(slashEntries(menu).filter((e) => e.slash === "/search")).toHaveLength(1)
    await t.press("Enter")
    await t.waitFor("the search dialog", (s) => s.includes("Search sessions of this project"))
    // An unclosed phrase: the dialog says what is wrong, as the CLI does.
    await t.type('"older')
    await t.waitFor("what is wrong with the query", (s) => flat(s).includes("is not closed"))
    // Closing it makes it a phrase the older session holds: its hit is listed, nothing of the newer one.
    await t.type('"')
    await t.waitFor("the hits", (s) => flat(s).includes('Search sessions: "older" (') && flat(s).includes("An older answer."))
    await t.press("Enter") // the best hit: the older session's answer
    await t.waitFor("the older session", (s) => s.includes("An older answer.") && !s.includes("Search sessions"))
    expect(await t.screen()).not.toContain("The answer is 42.")
  })

  test("on the home screen, /export offers the session picker, newest first", async () => {
    await tui?.kill()
    tui = await startTui(sandbox, [], { env: FIXED_TIME })
    const t = tui
    await t.type("/export")
    await t.waitFor("the slash menu", (s) => slashEntries(s).some((e) => e.slash === "/export"))
    await t.press("Enter")
    const picker = await t.waitFor("the session picker", (s) => s.includes("choose a session") && s.includes(olderID))
    const newer = picker.indexOf(sessionID)
    const older = picker.indexOf(olderID)
    expect(newer).toBeGreaterThan(-1)
    expect(newer).toBeLessThan(older)

    await t.press("Enter") // the newest
    await t.waitFor("the export dialog", (s) => s.includes(DIALOG))
    await t.press("Down", "Enter") // JSON: the Markdown file of that session exists already
    await t.waitFor("JSON", (s) => s.includes("Format: JSON"))
    await t.press("Up", "Enter")
    await t.waitFor("the replace question", (s) => s.includes("Replace file?"))
    await t.press("Enter")
    const path = await exportedPath(t, join(sandbox.project, defaultFileName(sessionRow(sandbox, sessionID), "json")))
    const cliPath = join(sandbox.root, "home.json")
    expect((await sandbox.run(["export", sessionID, "--format", "json", "-o", cliPath], { env: FIXED_TIME })).code).toBe(0)
    expect(readFileSync(path, "utf8")).toBe(readFileSync(cliPath, "utf8"))
    expect(readFileSync(path).equals(readFileSync(cliPath))).toBe(true)
  })

  test("the share-capture server saw no request during the whole test", () => {
    expect(sandbox.capture.requests).toEqual([])
  })
})
