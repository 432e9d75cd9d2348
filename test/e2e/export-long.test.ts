/**
 * Long and deep sessions the real runtime made: one it compacted by itself
 * when a turn's token usage went over the model's context limit, subagents
 * two levels deep (a subagent that started its own), and a session of
 * thousands of messages (a real session's messages repeated, written by the
 * runtime's own `import`), exported whole with bounded memory, and indexed
 * for search by an update that is killed midway.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { Database } from "bun:sqlite"
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { marked, type Tokens } from "marked"
import { SUMMARY, turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(240_000)

const PEAK_RSS = join(import.meta.dir, "../support/peak-rss.ts")

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({
    // Ordinary turns report 150 tokens; a turn reporting more than 10,000 - 1,000 makes the runtime compact.
    modelLimit: { context: 10_000, output: 1_000 },
    // The runtime lets a subagent start another only when its agent may use `task`, up to `subagent_depth`.
    project: { subagent_depth: 2, agent: { general: { permission: { task: "allow" } } } },
  })
})

afterAll(async () => {
  await sandbox?.dispose()
})

const headings = (md: string) =>
  marked
    .lexer(md)
    .filter((t): t is Tokens.Heading => t.type === "heading")
    .map((h) => `${"#".repeat(h.depth)} ${h.text.replace(/ · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, "").replace(/ · \d+\.\d{2} s$/, "")}`)

describe("a session the runtime compacted by itself", () => {
  let id: string

  beforeAll(async () => {
    const run = await sandbox.prompt("the first question", [
      turn.large("The big answer.", { prompt: 9_500, completion: 100 }),
      turn.text("Going on after the summary."),
    ])
    expect(run.code).toBe(0)
    id = run.sessionIDs[0]!
  })

  test("Markdown and HTML: every message from the first, the automatic compaction marked, its summary, the runtime's prompt to go on", async () => {
    for (const format of ["markdown", "html"]) {
      const whole = (await sandbox.run(["export", id, "--format", format, "--stdout"])).stdout
      const out = format === "html" ? whole.slice(whole.indexOf("<main>")) : whole
      const order = [
        "the first question",
        "The big answer.",
        "(automatic): the conversation above was summarized for the model",
        "Summary · compaction · ",
        SUMMARY.slice(0, 40),
        "(automatic): after the compaction, the runtime asked the model to go on:",
        "Continue if you have next steps",
        "Going on after the summary.",
      ].map((text) => out.indexOf(format === "html" ? text.replace(/'/g, "&#39;") : text))
      expect(order.every((at) => at >= 0)).toBe(true)
      expect([...order].sort((a, b) => a - b)).toEqual(order)
    }
  })

  test("JSON: all six messages, the compaction part, the summary flagged as one", async () => {
    const doc = JSON.parse((await sandbox.run(["export", id, "--format", "json", "--stdout"])).stdout) as {
      session: { messages: Array<{ info: { role: string; summary?: boolean; agent?: string }; parts: Array<{ type: string; auto?: boolean }> }> }
    }
    const messages = doc.session.messages
    expect(messages.map((m) => m.info.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"])
    expect(messages[2]!.parts).toContainEqual(expect.objectContaining({ type: "compaction", auto: true }))
    expect(messages[3]!.info).toMatchObject({ summary: true, agent: "compaction" })
  })
})

describe("subagents two levels deep", () => {
  test("the inner subagent session is nested under the outer one's task call, each with its own counts", async () => {
    const run = await sandbox.prompt("delegate twice", [
      turn.tool("task", { description: "Outer task", prompt: "go deeper", subagent_type: "general" }),
      turn.tool("task", { description: "Inner task", prompt: "look closer", subagent_type: "general" }),
      turn.text("inner done"),
      turn.text("outer done"),
      turn.text("All done."),
    ])
    expect(run.code).toBe(0)
    const md = (await sandbox.run(["export", run.sessionIDs[0]!, "--stdout"])).stdout
    expect(headings(md)).toEqual([
      "# Mock session",
      "## User",
      "## Assistant · build · mock/mock-model",
      "### Subagent: Outer task (@general subagent)",
      "#### User",
      "#### Assistant · general · mock/mock-model",
      "##### Subagent: Inner task (@general subagent)",
      "###### User",
      "###### Assistant · general · mock/mock-model",
      "#### Assistant · general · mock/mock-model",
      "## Assistant · build · mock/mock-model",
    ])
    expect(md).toContain("- Messages: 8 (3 user, 5 assistant), in this session and 2 subagent sessions")
    expect(md).toMatch(/End of subagent session `ses_\w+` \(2 messages\)\.\*\n\n#### Assistant/)
    expect(md).toMatch(/End of subagent session `ses_\w+` \(3 messages, 1 tool call\)\.\*\n\n## Assistant/)

    const doc = JSON.parse((await sandbox.run(["export", run.sessionIDs[0]!, "--format", "json", "--stdout"])).stdout) as {
      session: { children: Array<{ info: { title: string }; messages: unknown[]; children: Array<{ info: { title: string }; messages: unknown[] }> }> }
    }
    const outer = doc.session.children[0]!
    expect(outer.info.title).toBe("Outer task (@general subagent)")
    expect(outer.messages).toHaveLength(3)
    expect(outer.children.map((c) => [c.info.title, c.messages.length])).toEqual([["Inner task (@general subagent)", 2]])

    const without = (await sandbox.run(["export", run.sessionIDs[0]!, "--no-children", "--stdout"])).stdout
    expect(without).not.toContain("Inner task (@general subagent)")
    expect(without).toMatch(/Subagent session `ses_\w+` is not in this export/)
  })
})

type RuntimeExport = {
  info: { id: string; title: string; time: { created: number; updated: number } } & Record<string, unknown>
  messages: Array<{ info: { id: string; sessionID: string; parentID?: string; time: { created: number } } & Record<string, unknown>; parts: Array<{ id: string; sessionID: string; messageID: string } & Record<string, unknown>> }>
}

describe("a session of thousands of messages", () => {
  const ROUNDS = 3_000
  const FEW = 300
  let big: string
  let small: string

  beforeAll(async () => {
    // A real exchange: a command printing ~39 KB (the runtime keeps tool output twice), then an answer with reasoning.
    const run = await sandbox.prompt("print numbers", [turn.bash("seq 1 8000", "Numbers"), turn.text("Printed them.", "Counting.")])
    expect(run.code).toBe(0)
    const own = await sandbox.run(["export", run.sessionIDs[0]!], { via: "bare" })
    const sample = JSON.parse(own.stdout) as RuntimeExport
    expect(sample.messages).toHaveLength(3)
    big = await imported(sample, "big", ROUNDS)
    small = await imported(sample, "small", FEW)
  })

  /**
   * The sample's messages `rounds` times, with fresh ids in the runtime's order (`msg_` + a growing counter)
   * and times a second apart, written into the database by the runtime's own `import`.
   */
  async function imported(sample: RuntimeExport, name: string, rounds: number): Promise<string> {
    const id = `ses_0${name}`.padEnd(30, "0")
    let n = 0
    const next = (prefix: string) => `${prefix}_${(0x100000000000 + n++).toString(16)}${name.padEnd(14, "x")}`
    const messages: RuntimeExport["messages"] = []
    let at = sample.info.time.created
    for (let round = 0; round < rounds; round++) {
      let user = ""
      for (const m of sample.messages) {
        const mid = next("msg")
        if (m.info.role === "user") user = mid
        at += 1_000
        const info = { ...m.info, id: mid, sessionID: id, time: { ...m.info.time, created: at }, ...(m.info.parentID ? { parentID: user } : {}) }
        messages.push({ info, parts: m.parts.map((p) => ({ ...p, id: next("prt"), sessionID: id, messageID: mid })) })
      }
    }
    const file = join(sandbox.root, `${name}.json`)
    const info = { ...sample.info, id, title: `${rounds} rounds`, time: { created: sample.info.time.created, updated: at } }
    writeFileSync(file, JSON.stringify({ info, messages }))
    const result = await sandbox.run(["import", file], { via: "bare", timeoutMs: 200_000 })
    expect(result.code).toBe(0)
    return id
  }

  /** The overlay's export as a whole process, with its peak resident memory (measured by test/support/peak-rss.ts). */
  async function exported(id: string, args: ReadonlyArray<string>, via: "overlay" | "bare" = "overlay") {
    const report = join(sandbox.root, "peak.json")
    const argv = [process.execPath, PEAK_RSS, report, ...sandbox.command(["export", id, ...args], via)]
    const proc = Bun.spawn(argv, { cwd: sandbox.project, env: sandbox.env({}, via), stdin: "ignore", stdout: "pipe", stderr: "pipe" })
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    const { rss } = JSON.parse(readFileSync(report, "utf8")) as { rss: number }
    return { stdout, stderr, code, rss }
  }

  test("every message, in order, in JSON and Markdown", async () => {
    const json = await exported(big, ["--format", "json", "--stdout"])
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout) as { session: { messages: Array<{ info: { id: string }; parts: unknown[] }> } }
    expect(doc.session.messages).toHaveLength(3 * ROUNDS)
    const ids = doc.session.messages.map((m) => m.info.id)
    expect([...ids].sort()).toEqual(ids)

    const md = await exported(big, ["--stdout", "--tool-details"])
    expect(md.code).toBe(0)
    const heads = headings(md.stdout)
    // Each round: the prompt, the assistant's command, its answer.
    expect(heads.filter((h) => h === "## User")).toHaveLength(ROUNDS)
    expect(heads.filter((h) => h.startsWith("## Assistant"))).toHaveLength(2 * ROUNDS)
    expect(md.stdout.match(/^Printed them\.$/gm)).toHaveLength(ROUNDS)
    expect(md.stdout).toContain(`- Messages: ${(3 * ROUNDS).toLocaleString("en")} (${ROUNDS.toLocaleString("en")} user, ${(2 * ROUNDS).toLocaleString("en")} assistant)`)
  })

  test("memory does not grow with the session: ten times the messages, about the same peak", async () => {
    const peaks: Record<string, [number, number]> = {}
    let data = 0
    for (const format of ["json", "markdown", "html"]) {
      for (const details of [[], ["--tool-details"]]) {
        const few = await exported(small, ["--format", format, ...details, "--stdout"])
        const many = await exported(big, ["--format", format, ...details, "--stdout"])
        expect([few.code, many.code]).toEqual([0, 0])
        // What the bigger session adds, as the lossless JSON export measures it.
        if (format === "json" && details.length === 0) data = many.stdout.length - few.stdout.length
        peaks[`${format}${details.length > 0 ? " --tool-details" : ""}`] = [few.rss, many.rss]
      }
    }
    expect(data).toBeGreaterThan(120_000_000)
    // Held whole, the bigger session would need at least its extra data again in memory (more as parsed values);
    // streamed, a peak grows by what is in flight, garbage not yet collected and, from 10,000 parts, the heap of
    // the thread that screens ahead.
    for (const [few, many] of Object.values(peaks)) expect(many - few).toBeLessThan(data / 2)
    // The control: the runtime's own export holds the session, and the same measure sees it grow.
    const [few, many] = [await exported(small, [], "bare"), await exported(big, [], "bare")]
    expect([few.code, many.code]).toEqual([0, 0])
    expect(many.rss - few.rss).toBeGreaterThan(data / 2)
  })

  test("the search index: an update killed midway leaves an index that answers, whole, without being rebuilt", async () => {
    const index = join(sandbox.dataDir, "opencode-local-overlay", "history.db")
    const indexed = () => {
      const db = new Database(index)
      try {
        const sessions = db.query<{ id: string }, []>("select id from session order by id").all().map((r) => r.id)
        const rows = db.query<{ session_id: string; n: number }, []>("select session_id, count(*) as n from entry_row group by session_id order by session_id").all()
        const words = db.query<{ n: number }, []>("select count(*) as n from entry where entry match 'printed'").get()!.n
        return { sessions, rows, words }
      } finally {
        db.close()
      }
    }
    // The first index of both long sessions (~120 MB of text), killed once its transaction has written into the log.
    const proc = Bun.spawn(sandbox.command(["search", "--reindex", "--", "Printed"]), {
      cwd: sandbox.project,
      env: sandbox.env(),
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    })
    let exited = false
    void proc.exited.then(() => (exited = true))
    const walBytes = () => (existsSync(`${index}-wal`) ? statSync(`${index}-wal`).size : 0)
    while (!exited && walBytes() < 4 * 1024 * 1024) await Bun.sleep(20)
    expect(exited ? `the update ended (exit ${proc.exitCode}) before it had written 4 MB: nothing left to kill` : "running").toBe("running")
    proc.kill("SIGKILL")
    expect(await proc.exited).not.toBe(0)
    // The control: the kill came in the middle, so the index holds less than all of it.
    const left = indexed()

    const out = await sandbox.run(["search", "--json", "--limit", "3", "--", "Printed"])
    expect(out.code).toBe(0)
    expect(out.stderr).not.toContain("rebuilt")
    const hits = (JSON.parse(out.stdout) as { hits: Array<{ sessionID: string; snippet: string }> }).hits
    expect(hits).toHaveLength(3)
    expect(hits[0]!.snippet).toContain("Printed")
    const after = indexed()
    expect(after.sessions).toEqual(expect.arrayContaining([big, small]))
    expect(left.sessions.length).toBeLessThan(after.sessions.length)
    // Whole: every text once, as a fresh index has it, and FTS5's own check passes.
    const db = new Database(index)
    expect(db.query<{ integrity_check: string }, []>("pragma integrity_check").get()!.integrity_check).toBe("ok")
    db.exec("insert into entry (entry, rank) values ('integrity-check', 1)")
    db.close()
    expect((await sandbox.run(["search", "--reindex"])).code).toBe(0)
    expect(indexed()).toEqual(after)
    // "Printed them." once a round, and once in the session the rounds were copied from.
    expect(after.words).toBe(ROUNDS + FEW + 1)
  })
})
