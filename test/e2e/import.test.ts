/**
 * `opencode import` through the overlay: a real session (tool calls, a
 * failing tool, a subagent session) exported as JSON in one home, imported
 * into a fresh second home through the runtime's own import, then exported
 * again there: the same conversation. Importing again changes nothing; bad
 * files are refused with a message and leave the database as it was.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
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
  // One home for every bad file: each must leave its database as it was, which the next one checks again.
  let target: Sandbox
  beforeAll(async () => {
    target = await createSandbox()
    expect((await target.prompt("already here", [turn.text("ok")])).code).toBe(0)
  })
  afterAll(async () => {
    await target?.dispose()
  })

  /** The runtime's own import of `text` (no overlay) into a scratch home: its exit code and the rows it added. */
  const runtimeAlone = async (name: string, text: string) => {
    const scratch = await createSandbox()
    try {
      const path = join(scratch.root, `${name}.json`)
      writeFileSync(path, text)
      const result = await scratch.run(["import", path], { via: "bare" })
      return { code: result.code, rows: existsSync(scratch.databasePath) ? rows(scratch) : [0, 0, 0] }
    } finally {
      await scratch.dispose()
    }
  }

  /** `opencode import` of `text` in the shared home: the database must not change. */
  const refused = async (name: string, text: string) => {
    const before = rows(target)
    const path = join(target.root, `${name.replace(/\W+/g, "-")}.json`)
    writeFileSync(path, text)
    const result = await target.run(["import", path])
    expect(rows(target)).toEqual(before)
    expect(result.stderr).not.toContain("    at ")
    return result
  }

  /** The overlay export with a change made to its parsed form. */
  const edited = async (change: (file: { session: Tree }) => void) => {
    const file = JSON.parse(await Bun.file(exportPath).text())
    change(file)
    return JSON.stringify(file)
  }

  const cases: Array<[string, (json: string) => string, number, RegExp]> = [
    ["a Markdown export", () => "# Handoff\n\n- Session: ses_x\n", 2, /Markdown export.*opencode export <sessionID> --format json/],
    ["an HTML export", () => "<!doctype html><title>x</title>", 2, /HTML export.*--format json/],
    ["truncated JSON", (json) => json.slice(0, Math.floor(json.length / 2)), 2, /not valid JSON .*truncated/],
    ["an unknown format version", (json) => json.replace('"schema_version": 1', '"schema_version": 99'), 2, /"schema_version" 99 is not one this overlay reads \(1\)/],
    ["a missing field", (json) => json.replace(/"role":"assistant",/, ""), 2, /session\.messages\[1\]\.info\.role must be "user" or "assistant"/],
  ]
  for (const [name, damage, code, message] of cases)
    test(name, async () => {
      const result = await refused(name, damage(await Bun.file(exportPath).text()))
      expect(result.code).toBe(code)
      expect(result.stderr).toMatch(message)
    })

  test("a part filed under a message that is not in the file: a bad file (exit 2), nothing written; the runtime alone writes half of it (the control)", async () => {
    const text = await edited((file) => {
      file.session.messages[1]!.parts[0]!.messageID = "msg_notinthefile000000000000"
    })
    const result = await refused("orphan part", text)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/session\.messages\[1\]\.parts\[0\] \(prt_\w+\) names message "msg_notinthefile000000000000", not the message it is in/)
    // The control: the runtime's own import of that session stops on the part and leaves the session and a message behind.
    const single = JSON.parse(text).session
    const control = await runtimeAlone("orphan", JSON.stringify({ info: single.info, messages: single.messages }))
    expect(control.code).not.toBe(0)
    expect(control.rows[0]).toBe(1)
    expect(control.rows[1]).toBeGreaterThan(0)
  })

  test("the runtime failing part way through (a part it cannot read): exit 5, and what it wrote is taken back", async () => {
    const text = await edited((file) => {
      const parts = file.session.messages.at(-1)!.parts
      parts[parts.length - 1] = { ...parts.at(-1)!, type: "text", text: 42 }
    })
    const result = await refused("unreadable part", text)
    expect(result.code).toBe(5)
    expect(result.stderr).toContain("nothing was imported")
    // The control: the runtime alone leaves the session and every message before that part.
    const single = JSON.parse(text).session
    const control = await runtimeAlone("unreadable", JSON.stringify({ info: single.info, messages: single.messages }))
    expect(control.code).not.toBe(0)
    expect(control.rows[1]).toBeGreaterThan(0)
  })

  test("a new session whose messages and parts belong to another session here: refused (exit 3) naming them; the runtime alone says Imported and leaves it empty (the control)", async () => {
    const runtimeExport = join(from.root, "runtime-export-clash.json")
    writeFileSync(runtimeExport, (await from.run(["export", child], { via: "bare" })).stdout)
    expect((await target.run(["import", runtimeExport])).code).toBe(0)
    const copy = JSON.parse(await Bun.file(runtimeExport).text())
    copy.info = { ...copy.info, id: "ses_0copyofanothersession0000", slug: "a-copy" }
    const result = await refused("clashing ids", JSON.stringify(copy))
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(new RegExp(`message msg_\\w+ of session ses_0copyofanothersession0000 already belongs to session ${child} here`))
    expect(result.stderr).toContain("Nothing was imported.")
    const control = join(target.root, "clash-runtime.json")
    writeFileSync(control, JSON.stringify(copy))
    const bare = await target.run(["import", control], { via: "bare" })
    expect(bare.stdout).toContain("Imported session: ses_0copyofanothersession0000")
    const db = target.database()
    const messages = db.query<{ n: number }, []>("select count(*) as n from message where session_id = 'ses_0copyofanothersession0000'").get()!.n
    db.close()
    expect(messages).toBe(0)
  })

  test("subagent sessions nested 20,000 deep: a bad file (exit 2) in one line, no stack trace", async () => {
    // Written as text: JSON.stringify itself recurses, and would overflow building it.
    const file = JSON.parse(await Bun.file(exportPath).text())
    const leaf = file.session.children[0].info
    const id = (k: number) => `ses_deep${String(k).padStart(20, "0")}`
    let chain = ""
    for (let k = 0; k < 20_000; k++)
      chain += `{"info":${JSON.stringify({ ...leaf, id: id(k), parentID: k === 0 ? file.session.info.id : id(k - 1) })},"messages":[],"children":[`
    chain += "]}".repeat(20_000)
    const text = JSON.stringify({ ...file, session: { ...file.session, children: "DEEP" } }).replace('"DEEP"', `[${chain}]`)
    const result = await refused("deep", text)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/subagent sessions are nested more than 64 deep/)
    expect(result.stderr.trim().split("\n")).toHaveLength(1)
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

type Tree = {
  info: Record<string, unknown>
  messages: Array<{ info: Record<string, unknown>; parts: Array<Record<string, unknown>> }>
  children?: Tree[]
}
