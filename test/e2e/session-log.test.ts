/**
 * The automatic session log, on sessions the real runtime made: after a `run`
 * in a project that opted in, its log is in the project (the export's Markdown
 * and file name, redacted, the subagent inside), updated after a second turn;
 * a server writes it when the session goes idle, while it still runs; nothing
 * for a project that did not opt in; the folder's .gitignore; a folder that
 * cannot be made is a warning, never a failed run.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(120_000)

// A GitHub token of the real format (made up): the export's rules redact it.
const TOKEN = "ghp_Lw3XcV8nQb2ZrT6yKd9HsJ4mPf7GaE1uRo5Y"

let sandbox: Sandbox
/** A git project that keeps session logs; the tests below go on with its session. */
let project: string
/** The export's time, fixed: the log and `opencode export` made apart are then the same bytes. */
const FIXED_TIME = { SOURCE_DATE_EPOCH: "1764000000" }

const logFolder = (project: string) => join(project, ".opencode", "history")
const logs = (project: string) =>
  existsSync(logFolder(project)) ? readdirSync(logFolder(project)).filter((name) => name.endsWith(".md")) : []
const optIn = (project: string, settings: Record<string, unknown> = { enabled: true }) => {
  mkdirSync(join(project, ".opencode"), { recursive: true })
  writeFileSync(join(project, ".opencode", "session-log.json"), `${JSON.stringify(settings)}\n`)
}
const git = (cwd: string, ...args: string[]) => {
  const out = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" })
  return { code: out.exitCode, stdout: out.stdout.toString() }
}
const newProject = (name: string) => {
  const dir = join(sandbox.root, name)
  sandbox.writeProjectConfig({}, dir)
  expect(git(dir, "init", "-q").code).toBe(0)
  return dir
}

/** Polls until `check` holds, or fails naming what it waited for. */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(100)
  }
}

beforeAll(async () => {
  sandbox = await createSandbox()
  project = newProject("opted-in")
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("automatic session log", () => {
  test("after a run in a project that opted in: the session's Markdown log, redacted, its subagent inside; a second turn updates it", async () => {
    optIn(project)
    const first = await sandbox.prompt(
      "Why does the nightly backup job stop?",
      [
        turn.bash(`echo "backup aborted: volume snapshot quota exceeded"; echo "auth ${TOKEN}"`, "Run the backup job"),
        turn.tool("task", { description: "Check quotas", prompt: "look at the snapshot quotas", subagent_type: "general" }),
        turn.text("The subagent found the snapshot quota at 100 of 100."),
        turn.text("The backup stops because the snapshot quota is used up."),
      ],
      { cwd: project, env: FIXED_TIME },
    )
    expect(first.code).toBe(0)
    expect(first.sessionIDs).toHaveLength(2)
    const [main] = first.sessionIDs as [string, string]
    // The control: the runtime stored the token, so a log that kept it would be caught.
    const db = [sandbox.databasePath, `${sandbox.databasePath}-wal`].filter(existsSync).map((f) => readFileSync(f))
    expect(db.some((bytes) => bytes.includes(TOKEN))).toBe(true)

    // One log, under the export's file name, with what `opencode export` writes.
    const [name, ...more] = logs(project)
    expect(more).toEqual([])
    mkdirSync(join(sandbox.root, "exported"))
    const exported = await sandbox.run(["export", main, "-o", join(sandbox.root, "exported") + "/"], { cwd: project, env: FIXED_TIME })
    expect(exported.code).toBe(0)
    expect(name).toBe(exported.stdout.trim().split("/").pop())
    const log = readFileSync(join(logFolder(project), name!), "utf8")
    expect(log).toContain("Why does the nightly backup job stop?")
    expect(log).toContain("The backup stops because the snapshot quota is used up.")
    expect(log).toContain("The subagent found the snapshot quota at 100 of 100.")
    expect(log).not.toContain(TOKEN)
    // Byte for byte what the export writes (made at the same fixed time).
    expect(log).toBe(readFileSync(exported.stdout.trim(), "utf8"))

    const second = await sandbox.prompt("And how do I raise the quota?", [turn.text("Raise it in the storage console, quota page.")], {
      cwd: project,
      args: ["-s", main],
    })
    expect(second.code).toBe(0)
    expect(logs(project)).toEqual([name!])
    const updated = readFileSync(join(logFolder(project), name!), "utf8")
    expect(updated).toContain("Raise it in the storage console, quota page.")
    expect(updated).toContain("Why does the nightly backup job stop?")
  })

  test("the folder's .gitignore keeps the logs out of git, unless the project says they are meant to be committed", async () => {
    const [log] = logs(project)
    expect(log).toBeDefined()
    expect(git(project, "check-ignore", "-q", join(".opencode", "history", log!)).code).toBe(0)
    expect(git(project, "status", "--porcelain", "--untracked-files=all").stdout).not.toContain(".md")

    optIn(project, { enabled: true, commit: true })
    try {
      expect((await sandbox.run(["session-log"], { cwd: project })).code).toBe(0)
      expect(git(project, "check-ignore", "-q", join(".opencode", "history", log!)).code).toBe(1)
      expect(git(project, "status", "--porcelain", "--untracked-files=all").stdout).toContain(`.opencode/history/${log}`)
    } finally {
      optIn(project)
    }
    expect((await sandbox.run(["session-log"], { cwd: project })).code).toBe(0)
    expect(git(project, "check-ignore", "-q", join(".opencode", "history", log!)).code).toBe(0)
  })

  test("nothing is written for a project that did not opt in", async () => {
    const plain = newProject("not-opted-in")
    expect((await sandbox.prompt("a private question", [turn.text("A private answer.")], { cwd: plain })).code).toBe(0)
    expect(existsSync(logFolder(plain))).toBe(false)
    const asked = await sandbox.run(["session-log"], { cwd: plain })
    expect(asked.code).toBe(0)
    expect(asked.stderr).toContain("Session logs are off for")
    expect(existsSync(logFolder(plain))).toBe(false)
  })

  test("a folder that cannot be made is a warning (the run still succeeds); a link out of the project is refused", async () => {
    const blocked = newProject("blocked")
    optIn(blocked)
    writeFileSync(logFolder(blocked), "a file where the folder would go\n")
    const out = await sandbox.prompt("still works?", [turn.text("Yes.")], { cwd: blocked })
    expect(out.code).toBe(0)
    expect(out.stderr).toContain(`The session log folder ${logFolder(blocked)} cannot be written`)
    expect(statSync(logFolder(blocked)).isFile()).toBe(true)
    const byHand = await sandbox.run(["session-log"], { cwd: blocked })
    expect(byHand.code).toBe(3)
    // A link in the folder's place that leads out of the project: refused, nothing written there.
    const outside = join(sandbox.root, "outside")
    mkdirSync(outside)
    rmSync(logFolder(blocked))
    symlinkSync(outside, logFolder(blocked))
    const linked = await sandbox.run(["session-log"], { cwd: blocked })
    expect(linked.code).toBe(3)
    expect(linked.stderr).toContain(`it leads out of the project, to ${outside}`)
    expect(readdirSync(outside)).toEqual([])
  })

  test("opencode serve writes the log when the session goes idle, while it still runs", async () => {
    const served = newProject("served")
    optIn(served)
    const server = await sandbox.serve({ cwd: served })
    try {
      const created = await fetch(`${server.url}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
      expect(created.status).toBe(200)
      const { id } = (await created.json()) as { id: string }
      sandbox.llm.script(turn.text("Served answer 91c2."))
      const answered = await fetch(`${server.url}/session/${id}/message`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ parts: [{ type: "text", text: "served question" }], model: { providerID: "mock", modelID: "mock-model" } }),
      })
      expect(answered.status).toBe(200)
      await answered.arrayBuffer()
      await until(
        () => logs(served).some((name) => readFileSync(join(logFolder(served), name), "utf8").includes("Served answer 91c2.")),
        "the log written by the server's runtime after the session went idle",
      )
      expect(server.process.exitCode).toBeNull() // still running: the plugin wrote it, not an exit
    } finally {
      await server.stop()
    }
  })

  test("opencode session-log: --help, and by hand after a log was removed", async () => {
    const help = await sandbox.run(["session-log", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('{ "enabled": true, "folder": ".opencode/history", "commit": false }')
    const [name] = logs(project)
    rmSync(join(logFolder(project), name!))
    const again = await sandbox.run(["session-log"], { cwd: project })
    expect(again.code).toBe(0)
    expect(again.stdout.trim()).toBe(join(logFolder(project), name!))
    expect(again.stderr).toContain("1 log written, 0 up to date")
    const idle = await sandbox.run(["session-log"], { cwd: project })
    expect(idle.stdout).toBe("")
    expect(idle.stderr).toContain("0 logs written, 1 up to date")
  })
})
