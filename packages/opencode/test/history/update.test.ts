/**
 * Bringing the index up to a database the way runtimes change it: a session
 * that goes on (the quick plan: only the newest messages' parts compared), a
 * part removed from an older message and one added to it (the counts
 * disagree: every part compared), and an index another search holds (this
 * one answers from what is there and says how many sessions it left), each
 * written on the update's own connection and through a writer thread; and a
 * writer thread's transaction that fails part way writes nothing. The
 * end-to-end tests (test/e2e/search.test.ts) do the same on sessions the
 * runtime made.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeEach, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openIndex } from "../../src/history/index-file.ts"
import { threadWriter } from "../../src/history/index-writer.ts"
import type { Write } from "../../src/history/index-writes.ts"
import { search } from "../../src/history/search.ts"
import { updateIndex as update } from "../../src/history/update.ts"
import { RUNTIME_TABLES } from "../runtime-tables.ts"

const root = mkdtempSync(join(tmpdir(), "history-update-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let runtime: Database
let index: Database
let clock = 1_000
let n = 0

beforeEach(() => {
  const dir = mkdtempSync(join(root, "case-"))
  runtime = new Database(join(dir, "opencode.db"))
  runtime.exec(RUNTIME_TABLES)
  runtime.query("insert into project values ('global', '/', null, null, 1, 1)").run()
  index = openIndex(join(dir, "history.db")).db
})

function session(id: string) {
  runtime
    .query("insert into session (id, project_id, slug, directory, title, version, time_created, time_updated) values (?, 'global', ?, '/p', ?, '1.18.33', ?, ?)")
    .run(id, id, `Session ${id}`, clock, clock)
}

/** A message with text parts; the session's time moves on, as the runtime's writes do. */
function message(sessionID: string, role: "user" | "assistant", ...texts: string[]): string {
  const id = `msg_${String(++n).padStart(6, "0")}`
  const at = ++clock
  const data = role === "user" ? { role, time: { created: at }, agent: "build", model: { providerID: "p", modelID: "m" } } : { role, time: { created: at, completed: at }, parentID: "x", modelID: "m", providerID: "p", mode: "build", agent: "build", path: { cwd: "/p", root: "/p" }, cost: 0, tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } } }
  runtime.query("insert into message values (?, ?, ?, ?, ?)").run(id, sessionID, at, at, JSON.stringify(data))
  for (const text of texts) part(sessionID, id, text)
  return id
}

function part(sessionID: string, messageID: string, text: string): string {
  const id = `prt_${String(++n).padStart(6, "0")}`
  const at = ++clock
  runtime.query("insert into part values (?, ?, ?, ?, ?, ?)").run(id, messageID, sessionID, at, at, JSON.stringify({ type: "text", text }))
  touch(sessionID)
  return id
}

const touch = (sessionID: string) => runtime.query("update session set time_updated = ? where id = ?").run(++clock, sessionID)
const sessionsWith = (word: string) => search(index, word, { limit: 50 }).map((hit) => hit.sessionID)
const rows = () => index.query<{ n: number }, []>("select count(*) as n from entry_row").get()!.n

describe.each([
  ["on its own connection", false],
  ["through a writer thread", true],
])("updateIndex, writing %s", (_, thread) => {
  const updateIndex = (index: Database, runtime: Database) => update(index, runtime, { thread })

  test("a session that goes on: the new turn is found, the old ones are there once", async () => {
    session("ses_a")
    message("ses_a", "user", "plan the harbour survey")
    message("ses_a", "assistant", "sound the channel at low tide")
    expect(await updateIndex(index, runtime)).toMatchObject({ added: 1, updated: 0, behind: 0 })
    const before = rows()
    message("ses_a", "user", "and the breakwater?")
    message("ses_a", "assistant", "inspect the breakwater armour stones")
    expect(await updateIndex(index, runtime)).toMatchObject({ added: 0, updated: 1, unchanged: 0 })
    expect(sessionsWith("breakwater")).toEqual(["ses_a", "ses_a"])
    expect(sessionsWith("channel")).toEqual(["ses_a"])
    expect(rows()).toBe(before + 2)
    expect(await updateIndex(index, runtime)).toMatchObject({ updated: 0, unchanged: 1 })
  })

  test("a part removed from an older message, and one added to it: every part is compared", async () => {
    session("ses_b")
    const first = message("ses_b", "assistant", "the anchor chain is rusted")
    const gone = part("ses_b", first, "replace the windlass gypsy")
    message("ses_b", "user", "what next")
    await updateIndex(index, runtime)
    expect(sessionsWith("windlass")).toEqual(["ses_b"])

    runtime.query("delete from part where id = ?").run(gone)
    touch("ses_b")
    await updateIndex(index, runtime)
    expect(sessionsWith("windlass")).toEqual([])
    expect(sessionsWith("anchor")).toEqual(["ses_b"])

    // Added to the first message, not the newest: the quick plan's counts disagree, so it is found anyway.
    part("ses_b", first, "grease the capstan")
    await updateIndex(index, runtime)
    expect(sessionsWith("capstan")).toEqual(["ses_b"])
    expect(sessionsWith("anchor")).toEqual(["ses_b"])
  })

  test("an index another search is writing: this update leaves the sessions it could not write and says how many", async () => {
    session("ses_c")
    message("ses_c", "user", "chart the reef")
    session("ses_d")
    message("ses_d", "user", "chart the lagoon")
    const path = index.filename
    const other = new Database(path)
    other.exec("begin immediate")
    index.exec("pragma busy_timeout = 50")
    expect(await updateIndex(index, runtime)).toMatchObject({ added: 0, behind: 2 })
    expect(sessionsWith("chart")).toEqual([])
    other.exec("commit")
    other.close()
    expect(await updateIndex(index, runtime)).toMatchObject({ added: 2, behind: 0 })
    expect(new Set(sessionsWith("chart"))).toEqual(new Set(["ses_c", "ses_d"]))
  })
})

describe("a writer thread", () => {
  const titleRow = (sessionID: string): Write => ({
    op: "insert",
    row: { sessionID, messageID: null, partID: null, role: "user", tool: null, kind: "title", time: 1 },
    text: `survey of ${sessionID}`,
  })
  const withWord = (word: string) => index.query<{ n: number }, [string]>("select count(*) as n from entry where entry match ?").get(word)!.n
  // Not a row the index can hold (its session is required): the write fails inside the thread.
  const broken = { op: "insert", row: { ...(titleRow("x") as { row: object }).row, sessionID: null }, text: "survey" } as unknown as Write

  test("a transaction whose later write fails writes nothing, and the next one commits", async () => {
    const writer = await threadWriter(index)
    try {
      await writer.begin()
      await writer.write([titleRow("ses_e")])
      await writer.write([broken])
      await writer.write([titleRow("ses_f")])
      const failed = await writer.commit().then(() => undefined, (cause: Error) => cause.message)
      expect(failed).toMatch(/NOT NULL/)
      await writer.rollback()
      expect(rows()).toBe(0)
      expect(withWord("survey")).toBe(0)
      // The control: the same writes without the broken one are all there.
      await writer.begin()
      await writer.write([titleRow("ses_e")])
      await writer.write([titleRow("ses_f")])
      await writer.commit()
      expect(rows()).toBe(2)
      expect(withWord("survey")).toBe(2)
    } finally {
      await writer.close()
    }
  })

  test("an index it cannot open is refused before any write", async () => {
    const dir = mkdtempSync(join(root, "unopenable-"))
    const notAFile = new Database(join(dir, "history.db"))
    rmSync(dir, { recursive: true, force: true })
    const refused = await threadWriter(notAFile).then(
      async (writer) => (await writer.close(), undefined),
      (cause: Error) => cause.message,
    )
    expect(refused).toMatch(/unable to open|no such|SQLITE_CANTOPEN/i)
    notAFile.close()
  })
})
