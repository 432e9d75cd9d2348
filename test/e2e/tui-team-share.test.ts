/**
 * The TUI through the overlay in a project that shares to a team server the
 * user signed in to: the runtime's own /share publishes there (through the
 * overlay's endpoint), what is said afterwards follows on the server while
 * the TUI runs, and the runtime's own /unshare takes the share down (through
 * the endpoint, which holds the member's token).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { testWithEvidence } from "../support/artifacts.ts"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../support/share-server.ts"
import { resetPrompt, slashEntries, startTui, Tmux } from "../support/tmux.ts"

setDefaultTimeout(180_000)

const tmuxMissing = !Tmux.available()
if (tmuxMissing) console.warn("tmux is not installed: skipping the TUI team share test (the test command, bun run test, installs it).")

describe.skipIf(tmuxMissing)("the TUI sharing to a team server", () => {
  let sandbox: Sandbox
  let server: RunningShareServer
  let token: string
  let sessionID: string
  let tui: Tmux | undefined
  const test = testWithEvidence(import.meta.path, () => ({ tui, sandbox }))

  const shareRow = () => {
    const db = sandbox.database()
    try {
      return db.query<{ id: string; url: string }, [string]>("select id, url from session_share where session_id = ?").get(sessionID)
    } finally {
      db.close()
    }
  }
  const serverText = async (slug: string) => {
    const answered = await fetch(`${server.url}/api/share/${slug}/data`, { headers: { authorization: `Bearer ${token}` } })
    return { status: answered.status, text: await answered.text() }
  }
  /** Polls until `check` holds: the endpoint delivers in the background. */
  const until = async <T,>(what: string, read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = await read()
      if (check(value)) return value
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 500)}`)
      await Bun.sleep(200)
    }
  }

  beforeAll(async () => {
    sandbox = await createSandbox({ prefix: "tui-team-", project: { share: "manual" } })
    server = await startShareServer(sandbox)
    token = await memberToken(sandbox, "ada@example.com")
    sandbox.writeProjectConfig({ share: "manual", enterprise: { url: server.url } })
    expect((await sandbox.run(["share", "login", server.url, "--token", token])).code).toBe(0)
    // A keybind for the runtime's share command, as tui-share.test.ts does.
    writeFileSync(join(sandbox.project, "tui.json"), JSON.stringify({ keybinds: { session_share: "<leader>h" } }))
    const made = await sandbox.prompt("hello", [turn.text("Before publishing.")])
    sessionID = made.sessionIDs[0]!
    tui = await startTui(sandbox, ["--session", sessionID], { stderrFile: join(sandbox.root, "stderr.log") })
    await tui.waitFor("the session", (s) => s.includes("Before publishing."))
  }, 240_000)

  afterAll(async () => {
    await tui?.kill()
    await server?.stop()
    await sandbox?.dispose()
  })

  test("/share publishes to the team server; a new turn follows there while the TUI runs; /unshare takes it down", async () => {
    const t = tui!
    // The launcher said, before the TUI took the screen, where a publish goes and who reads it.
    expect(readFileSync(join(sandbox.root, "stderr.log"), "utf8")).toContain(`sessions shared here go to the team server ${server.url} (members only; signed in as ada@example.com)`)
    await t.press("C-x", "h")
    await t.waitFor("the runtime's consent question", (s) => s.includes("Are you sure you want to share it?"))
    await t.press("Enter")
    const share = await until("the share record", () => shareRow(), (row) => row !== null)
    expect(share!.url).toBe(`${server.url}/share/${share!.id}`)
    await until("the session on the server", () => serverText(share!.id), (r) => r.status === 200 && r.text.includes("Before publishing."))

    // Live: said after publishing, delivered while the TUI still runs (no final sync has happened).
    sandbox.llm.script(turn.text("Said after publishing."))
    await resetPrompt(t)
    await t.type("Go on")
    await t.press("Enter")
    await t.waitFor("the answer", (s) => s.includes("Said after publishing."))
    await until("the new turn on the server", () => serverText(share!.id), (r) => r.text.includes("Said after publishing."))

    await resetPrompt(t)
    await t.type("/unsh")
    await t.waitFor("the /unshare entry", (s) => slashEntries(s).some((e) => e.slash === "/unshare"))
    // In a project that opted in, /unshare is the runtime's own: its revoke goes through the endpoint, which holds the token.
    await t.press("Enter")
    await until("the share taken down", () => serverText(share!.id), (r) => r.status === 404)
    await until("the share record gone", () => shareRow(), (row) => row === null)
    // Nothing went to any other share host.
    expect(sandbox.capture.requests).toEqual([])
  })
})
