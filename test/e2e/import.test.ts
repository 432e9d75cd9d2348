/**
 * `opencode import` through the overlay: a real session (tool calls, a
 * failing tool, a subagent session) exported as JSON in one home, imported
 * into a fresh second home through the runtime's own import, then exported
 * again there: the same conversation. Importing again changes nothing; bad
 * files are refused with a message and leave the database as it was.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(180_000)

const EPOCH = { SOURCE_DATE_EPOCH: "1767225600" }

let from: Sandbox
let to: Sandbox
let root: string
let child: string
let exportPath: string

/** What a table holds, for "nothing changed" checks. */
const rows = (sandbox: Sandbox) => {
  const db = sandbox.database()
  try {
    return ["session", "message", "part"].map((t) => db.query<{ n: number }, []>(`select count(*) as n from ${t}`).get()!.n)
  } finally {
    db.close()
  }
}

/** The Markdown export without the lines that say where and when it was made. */
const comparable = (markdown: string) =>
  markdown
    .split("\n")
    .filter((line) => !/^- (Exported|Directory|Project): /.test(line))
    .join("\n")

beforeAll(async () => {
  from = await createSandbox({ title: "Handoff" })
  to = await createSandbox()
  from.llm.script(
    turn.bash("echo handing over", "Say it"),
    turn.tool("read", { filePath: join(from.project, "missing.txt") }),
    turn.tool("task", { description: "Count files", prompt: "count the files", subagent_type: "general" }),
    turn.bash("ls | wc -l", "Count"),
    turn.text("child done: 1 file"),
    turn.text("All done, handing over."),
  )
  const run = await from.run(["run", "-m", MOCK_MODEL, "Hand this session over"])
  expect(run.code).toBe(0)
  const db = from.database()
  root = db.query<{ id: string }, []>("select id from session where parent_id is null").get()!.id
  child = db.query<{ id: string }, []>("select id from session where parent_id is not null").get()!.id
  db.close()
  exportPath = join(from.root, "handoff.json")
  const exported = await from.run(["export", root, "--format", "json", "-o", exportPath])
  expect(exported.code).toBe(0)
  // The second home has a runtime database already, as any home that ran opencode once.
  expect((await to.prompt("an unrelated session", [turn.text("ok")])).code).toBe(0)
})

afterAll(async () => {
  await from?.dispose()
  await to?.dispose()
})

describe("opencode import of the overlay's JSON export", () => {
  test("recreates the session and its subagent session in the current project; its export shows the same conversation", async () => {
    const imported = await to.run(["import", exportPath])
    expect({ code: imported.code, stderr: imported.stderr }).toMatchObject({ code: 0 })
    expect(imported.stdout).toBe(`${root}\n`)
    expect(imported.stderr).toContain(`Imported "`)
    expect(imported.stderr).toContain("with 1 subagent session")
    expect(imported.stderr).toContain("This export was redacted")
    const db = to.database()
    const sessions = db.query<{ id: string; parent_id: string | null; directory: string }, []>("select id, parent_id, directory from session").all()
    db.close()
    expect(sessions.find((s) => s.id === root)).toMatchObject({ parent_id: null, directory: to.project })
    expect(sessions.find((s) => s.id === child)).toMatchObject({ parent_id: root, directory: to.project })
    const original = await from.run(["export", root, "--stdout"], { env: EPOCH })
    const again = await to.run(["export", root, "--stdout"], { env: EPOCH })
    expect({ code: again.code, stderr: again.stderr }).toMatchObject({ code: 0 })
    expect(again.stdout).toContain("Subagent: Count files")
    expect(comparable(again.stdout)).toBe(comparable(original.stdout))
    expect(to.capture.requests).toHaveLength(0)
  })

  test("the imported session goes on: a new prompt on it is answered and stored with it", async () => {
    const count = () => {
      const db = to.database()
      try {
        return db.query<{ n: number }, [string]>("select count(*) as n from message where session_id = ?").get(root)!.n
      } finally {
        db.close()
      }
    }
    const before = count()
    const more = await to.prompt("go on from where you were", [turn.text("Going on, here.")], { args: ["--session", root] })
    expect(more.code).toBe(0)
    expect(more.stdout).toContain("Going on, here.")
    expect(count()).toBe(before + 2)
  })

  test("importing the same file again changes nothing, and says so", async () => {
    const before = rows(to)
    const again = await to.run(["import", exportPath])
    expect(again.code).toBe(0)
    expect(again.stderr).toContain("Already imported")
    expect(rows(to)).toEqual(before)
  })

  test("the runtime's own export still imports (one session)", async () => {
    const runtimeExport = join(from.root, "runtime-export.json")
    const bare = await from.run(["export", child], { via: "bare" })
    writeFileSync(runtimeExport, bare.stdout)
    const target = await createSandbox()
    try {
      const imported = await target.run(["import", runtimeExport])
      expect(imported.code).toBe(0)
      expect(target.sessionIDs()).toEqual([child])
    } finally {
      await target.dispose()
    }
  })
})

describe("bad input: a clear message, exit code, and the database unchanged", () => {
  const cases: Array<[string, (json: string) => string, number, RegExp]> = [
    ["a Markdown export", () => "# Handoff\n\n- Session: ses_x\n", 2, /Markdown export.*opencode export <sessionID> --format json/],
    ["an HTML export", () => "<!doctype html><title>x</title>", 2, /HTML export.*--format json/],
    ["truncated JSON", (json) => json.slice(0, Math.floor(json.length / 2)), 2, /not valid JSON .*truncated/],
    ["an unknown format version", (json) => json.replace('"schema_version": 1', '"schema_version": 99'), 2, /"schema_version" 99 is not one this overlay reads \(1\)/],
    ["a missing field", (json) => json.replace(/"role":"assistant",/, ""), 2, /session\.messages\[1\]\.info\.role must be "user" or "assistant"/],
  ]
  for (const [name, damage, code, message] of cases)
    test(name, async () => {
      const target = await createSandbox()
      try {
        expect((await target.prompt("already here", [turn.text("ok")])).code).toBe(0)
        const before = rows(target)
        const path = join(target.root, "bad-input")
        writeFileSync(path, damage(await Bun.file(exportPath).text()))
        const result = await target.run(["import", path])
        expect(result.code).toBe(code)
        expect(result.stderr).toMatch(message)
        expect(rows(target)).toEqual(before)
      } finally {
        await target.dispose()
      }
    })

  test("an id that belongs to another session here is refused (exit 3), nothing imported", async () => {
    const json = (await Bun.file(exportPath).text()).replace(/"slug":"[^"]+"/, '"slug":"someone-else"')
    const path = join(to.root, "clash.json")
    writeFileSync(path, json)
    const before = rows(to)
    const result = await to.run(["import", path])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(`${root} is already another session here`)
    expect(result.stderr).toContain("Nothing was imported.")
    expect(rows(to)).toEqual(before)
  })
})
