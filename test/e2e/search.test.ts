/**
 * `opencode search` over sessions the real runtime made: a prompt, a bash
 * call's output, a subagent session, a second project; the index is the
 * overlay's own file and holds no secret (the control: the runtime's database
 * does); it follows the database (a session continued, a new one, a deleted
 * one) and rebuilds itself when it cannot be trusted.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(120_000)

// A GitHub token of the real format (made up): the export's rules redact it.
const TOKEN = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"

let sandbox: Sandbox
let other: string
let main: string
let child: string
let second: string

const indexFiles = () => ["", "-wal"].map((s) => join(sandbox.dataDir, "opencode-local-overlay", `history.db${s}`))
const search = (...args: string[]) => sandbox.run(["search", ...args])
type Json = { hits: Array<{ sessionID: string; rootSessionID: string; role: string; kind: string; tool: string | null; directory: string; snippet: string; open: { tui: string } }> }
const searchJson = async (...args: string[]) => {
  const out = await search(...args, "--json")
  return { code: out.code, json: JSON.parse(out.stdout || '{"hits":[]}') as Json, stderr: out.stderr }
}

beforeAll(async () => {
  sandbox = await createSandbox()
  const first = await sandbox.prompt(`Why does the quarterly invoice job fail? My token is ${TOKEN}`, [
    turn.bash(`echo "invoice reconciliation failed: ledger mismatch"; echo "auth ${TOKEN}"`, "Run the invoice job"),
    turn.tool("task", { description: "Inspect ledgers", prompt: "look at the ledger tables", subagent_type: "general" }),
    turn.text("The ledger has a dangling foreign key in the subledger."),
    turn.text("The invoice job fails on a ledger mismatch; fix the dangling key."),
  ])
  expect(first.code).toBe(0)
  expect(first.sessionIDs).toHaveLength(2)
  ;[main, child] = first.sessionIDs as [string, string]
  other = join(sandbox.root, "other-project")
  sandbox.writeProjectConfig({}, other)
  const made = await sandbox.prompt("Plan the kayak trip", [turn.text("Pack a dry bag and check the tide tables.")], { cwd: other })
  expect(made.code).toBe(0)
  second = made.sessionIDs[0]!
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("opencode search", () => {
  test("finds words of a prompt, an answer, a tool's output and a subagent session, and says where and how to open it", async () => {
    const out = await search("ledger", "mismatch")
    expect(out.code).toBe(0)
    expect(out.stdout).toContain("**ledger** **mismatch**")
    expect(out.stdout).toContain(`opencode -s ${main} (in ${sandbox.project})`)
    expect(out.stdout).toContain("tool bash")
    expect(out.stdout).toContain("assistant answer")

    const { json } = await searchJson("dangling")
    expect(new Set(json.hits.map((h) => h.sessionID))).toEqual(new Set([main, child]))
    // A hit in the subagent session opens its parent.
    expect(json.hits.every((h) => h.rootSessionID === main && h.open.tui === `opencode -s ${main}`)).toBe(true)
    expect((await searchJson("quarterly")).json.hits.map((h) => [h.role, h.kind])).toContainEqual(["user", "prompt"])
  })

  test("a secret in the sessions is in the runtime's database but not in the index, and searching it finds nothing", async () => {
    expect((await search("invoice")).code).toBe(0)
    // The control: the runtime stored the token, so a copy that kept it would be caught.
    expect(readFileSync(sandbox.databasePath).includes(TOKEN) || readFileSync(`${sandbox.databasePath}-wal`).includes(TOKEN)).toBe(true)
    const files = indexFiles().filter(existsSync)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) expect(readFileSync(file).includes(TOKEN)).toBe(false)
    // The index keeps words, not texts: lower-cased and cut at "_", the token's long run would be one of its words.
    // The control: a word of the same output is one.
    const db = new Database(files[0]!)
    db.exec("create virtual table temp.words using fts5vocab(main, 'entry', 'row')")
    const words = db.query<{ term: string }, []>("select term from temp.words").all().map((r) => r.term)
    db.close()
    expect(words).toContain("reconciliation")
    expect(words.filter((w) => TOKEN.toLowerCase().includes(w) && w.length > 6)).toEqual([])
    const found = await search(TOKEN)
    expect(found.code).toBe(1)
    expect(found.stderr).toContain(`No session holds "${TOKEN}"`)
    expect((await searchJson("REDACTED", "github")).json.hits.map((h) => h.snippet).join("\n")).toContain("[REDACTED:github-token]")
  })

  test("filters: project folder, session with its subagents, role, tool, time; a phrase, a prefix, a left-out word", async () => {
    expect((await searchJson("tide", "--project", other)).json.hits.map((h) => h.sessionID)).toEqual([second])
    expect((await searchJson("tide", "--project", sandbox.project)).code).toBe(1)
    const tool = (await searchJson("ledger", "--role", "tool", "--tool", "bash")).json.hits
    expect(tool.length).toBeGreaterThan(0)
    expect(tool.every((h) => h.role === "tool" && h.tool === "bash")).toBe(true)
    expect((await searchJson("ledger", "--tool", "read")).code).toBe(1)
    expect(new Set((await searchJson("ledger", "--session", main)).json.hits.map((h) => h.sessionID))).toEqual(new Set([main, child]))
    expect((await searchJson("ledger", "--session", child)).json.hits.every((h) => h.sessionID === child)).toBe(true)
    expect((await searchJson("ledger", "--since", "2999-01-01")).code).toBe(1)
    expect((await searchJson("ledger", "--since", "1d")).code).toBe(0)
    expect((await searchJson('"dry bag"')).json.hits.map((h) => h.sessionID)).toEqual([second])
    expect((await searchJson('"bag dry"')).code).toBe(1)
    expect((await searchJson("kaya*")).json.hits.map((h) => h.sessionID)).toContain(second)
    const without = (await searchJson("ledger", "-subledger")).json.hits
    expect(without.length).toBeGreaterThan(0)
    expect(without.some((h) => h.snippet.includes("subledger"))).toBe(false)
  })

  test("bad input: exit 2 and what is wrong", async () => {
    for (const [args, said] of [
      [["-ledger"], "only leaves words out"],
      [['"unclosed'], "is not closed"],
      [[], "say what to search for"],
      [["ledger", "--limit", "none"], "--limit must be a whole number"],
      [["ledger", "--role", "robot"], "--role must be one of user, assistant, tool"],
      [["ledger", "--since", "soon"], '--since "soon" is not'],
    ] as const) {
      const out = await search(...args)
      expect([out.code, out.stderr]).toEqual([2, expect.stringContaining(said)])
    }
  })

  test("the index follows the database: a session continued, a new one, a deleted one", async () => {
    expect((await search("estuary")).code).toBe(1)
    const more = await sandbox.prompt("And the estuary crossing?", [turn.text("Cross the estuary at slack water.")], {
      cwd: other,
      args: ["--session", second],
    })
    expect(more.code).toBe(0)
    expect((await searchJson("estuary")).json.hits.map((h) => h.sessionID)).toEqual([second, second])
    // Only the new turn's parts were added: the first turn's answer is there once, not lost, not twice.
    expect((await searchJson("tide")).json.hits.filter((h) => h.sessionID === second).map((h) => h.snippet)).toEqual([
      "Pack a dry bag and check the tide tables.",
    ])
    const deleted = await sandbox.run(["session", "delete", second], { via: "bare", cwd: other })
    expect(deleted.code).toBe(0)
    const gone = await search("kayak")
    expect(gone.code).toBe(1)
    expect((await search("ledger")).code).toBe(0)
  })

  test("an index that cannot be trusted is made again: a file that is not a database, and --reindex", async () => {
    const [file] = indexFiles() as [string]
    mkdirSync(join(file, ".."), { recursive: true })
    writeFileSync(file, "not a database, cut short by a crash")
    for (const wal of indexFiles().slice(1)) writeFileSync(wal, "")
    const out = await search("invoice")
    expect(out.code).toBe(0)
    expect(out.stderr).toContain("The search index was rebuilt")
    expect(out.stdout).toContain("**invoice**")
    const again = await search("--reindex")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/Indexed \d+ sessions into /)
    expect((await search("invoice")).code).toBe(0)
  })
})
