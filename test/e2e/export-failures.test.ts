/**
 * `opencode export` when things are wrong: unknown ids, no database, an
 * output that cannot or may not be written, rows the overlay cannot read.
 * Every case: the documented exit code, a message that says what happened and
 * what to do, and never a partial or temporary file.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { marked, type Token, type Tokens } from "marked"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, OVERLAY_BIN, type Sandbox } from "../support/sandbox.ts"
import { AS_ROOT, CAN_DROP, reachableOverlay, unprivileged } from "../support/unprivileged.ts"

let sandbox: Sandbox
let id: string
let n = 0
const folder = () => mkdtempSync(join(sandbox.root, `out-${++n}-`))
const exportIn = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  sandbox.run(["export", ...args], { cwd, env })

beforeAll(async () => {
  sandbox = await createSandbox({ title: "Small session" })
  const made = await sandbox.prompt("say hello", [turn.bash("echo hello", "Say hello"), turn.text("Said hello.")])
  expect(made.code).toBe(0)
  id = made.sessionIDs[0]!
}, 180_000) // real runtime runs take seconds; the default hook timeout is 5 s

afterAll(async () => {
  await sandbox?.dispose()
})

describe("not found: exit 1", () => {
  test("an unknown id is named, with the nearest ids there are", async () => {
    const cwd = folder()
    const typo = `${id.slice(0, -1)}${id.endsWith("x") ? "y" : "x"}`
    const result = await exportIn(cwd, [typo])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain(`No session "${typo}" in ${sandbox.databasePath}. Nearest: ${id} ("Small session").`)
    expect(result.stderr).toContain("opencode session list")
    expect(readdirSync(cwd)).toEqual([])
  })

  test("no database where it should be: the path, and how to point at one", async () => {
    const cwd = folder()
    const empty = folder()
    for (const [args, env] of [
      [[id, "--data-dir", empty], {}],
      [[id], { XDG_DATA_HOME: empty }],
    ] as const) {
      const result = await exportIn(cwd, args, env)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain(`No OpenCode database at ${join(empty, ...(args.length === 1 ? ["opencode"] : []), "opencode.db")}`)
      expect(result.stderr).toContain("--data-dir")
    }
    expect(readdirSync(cwd)).toEqual([])
    expect(readdirSync(empty)).toEqual([])
  })

  test("--data-dir also takes the database file itself", async () => {
    const cwd = folder()
    const result = await exportIn(cwd, [id, "--data-dir", sandbox.databasePath])
    expect(result.code).toBe(0)
  })
})

describe("write refused or failed: exit 3, nothing half-written", () => {
  test("an existing output file is kept as it was; --force replaces it", async () => {
    const cwd = folder()
    const path = join(cwd, "log.md")
    writeFileSync(path, "my notes\n")
    for (const format of ["markdown", "json"]) {
      const result = await exportIn(cwd, [id, "-o", path, "--format", format])
      expect(result.code).toBe(3)
      expect(result.stdout).toBe("")
      expect(result.stderr).toBe(
        `opencode export: ${path} already exists; nothing was written. Pass --force to replace it, or -o to write somewhere else.\n`,
      )
      expect(readFileSync(path, "utf8")).toBe("my notes\n")
      expect(readdirSync(cwd)).toEqual(["log.md"])
    }
    const forced = await exportIn(cwd, [id, "-o", path, "--force"])
    expect(forced.code).toBe(0)
    expect(readFileSync(path, "utf8")).toStartWith("# Small session\n")
    expect(readdirSync(cwd)).toEqual(["log.md"])
  })

  test("an output folder that is not a folder (its parent is a file)", async () => {
    const cwd = folder()
    writeFileSync(join(cwd, "notes"), "a file, not a folder")
    const result = await exportIn(cwd, [id, "-o", join(cwd, "notes", "log.md")])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain(`Cannot write ${join(cwd, "notes", "log.md")}: ${join(cwd, "notes")} is not a folder. Nothing was written`)
    expect(readdirSync(cwd)).toEqual(["notes"])
  })

  test("a missing output folder", async () => {
    const cwd = folder()
    const result = await exportIn(cwd, [id, "-o", join(cwd, "nope") + "/"])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("the folder does not exist")
    expect(readdirSync(cwd)).toEqual([])
  })

  // A folder the exporting user may not write to. As root, a folder's mode does not stop writes, so the
  // export runs as `nobody`, from its own copy of the overlay (test/support/unprivileged.ts: the checkout may
  // be closed to other users), against a copy of the database it may read; as any other user chmod is enough.
  test.skipIf(!CAN_DROP)("a read-only output folder", async () => {
    const place = mkdtempSync(join(tmpdir(), "export-readonly-"))
    try {
      chmodSync(place, 0o755)
      const data = join(place, "data")
      mkdirSync(data)
      const db = sandbox.database()
      db.exec(`VACUUM INTO '${join(data, "opencode.db")}'`)
      db.close()
      chmodSync(join(data, "opencode.db"), 0o644)
      const readonly = join(place, "readonly")
      mkdirSync(readonly)
      chmodSync(readonly, 0o555)
      const command = [...(AS_ROOT ? await reachableOverlay() : [OVERLAY_BIN]), "export", id, "-o", `${readonly}/`, "--data-dir", data]
      const proc = Bun.spawn(unprivileged(command), {
        cwd: place,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: place, TMPDIR: tmpdir() },
        stdout: "pipe",
        stderr: "pipe",
      })
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
      await proc.exited
      expect(stderr).toContain("permission denied. Nothing was written; choose another place with -o.")
      expect(proc.exitCode).toBe(3)
      expect(stdout).toBe("")
      expect(readdirSync(readonly)).toEqual([])
    } finally {
      rmSync(place, { recursive: true, force: true })
    }
  })
})

describe("rows the overlay cannot read", () => {
  test("become warnings in the export, not a crash; a part type it does not know is one line", async () => {
    // A copy of the runtime's database, with one part that is not JSON and one of a type from the future.
    const data = folder()
    const source = sandbox.database()
    source.exec(`VACUUM INTO '${join(data, "opencode.db")}'`)
    source.close()
    const db = new Database(join(data, "opencode.db"))
    const parts = db
      .query<{ id: string; message_id: string; data: string }, [string]>("select id, message_id, data from part where session_id = ? order by id")
      .all(id)
    const broken = parts.find((p) => JSON.parse(p.data).type === "tool")!
    const future = parts.find((p) => JSON.parse(p.data).type === "text")!
    db.query("update part set data = ? where id = ?").run('{"type":"tool","state":', broken.id)
    db.query("update part set data = ? where id = ?").run('{"type":"hologram","beam":"on"}', future.id)
    db.close()

    const cwd = folder()
    const md = await exportIn(cwd, [id, "--data-dir", data, "--stdout"])
    expect(md.code).toBe(0)
    expect(md.stdout).toContain(`> **Warning:** Part \`${broken.id}\` of message \`${broken.message_id}\` could not be read: not valid JSON`)
    expect(md.stdout).toContain(`**Unsupported part** \`hologram\` (\`${future.id}\`): not shown here; the JSON export keeps it.`)
    expect(md.stdout).toContain("Said hello.")
    expect(md.stderr).toContain("1 row could not be read; the export lists it as warnings.")
    const tokens = marked.lexer(md.stdout) as Token[]
    expect(tokens.filter((t): t is Tokens.Heading => t.type === "heading" && t.depth === 2).map((h) => h.text.split(" · ")[0])).toEqual([
      "User",
      "Assistant",
      "Assistant",
    ])

    const json = await exportIn(cwd, [id, "--data-dir", data, "--stdout", "--format", "json"])
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout)
    expect(doc.session.warnings).toEqual([
      { kind: "part", id: broken.id, messageID: broken.message_id, problem: expect.stringContaining("not valid JSON"), raw: '{"type":"tool","state":' },
    ])
    const all = doc.session.messages.flatMap((m: { parts: Array<{ id: string; type: string; beam?: string }> }) => m.parts)
    expect(all.find((p: { id: string }) => p.id === future.id)).toMatchObject({ type: "hologram", beam: "on" })
    expect(all.some((p: { id: string }) => p.id === broken.id)).toBe(false)
    expect(readdirSync(cwd)).toEqual([])
  })
})
