/**
 * Long sessions in a real runtime: a session compacted through the runtime's
 * own summarize API (what `/compact` does) exports every message from the
 * first, the compaction marked where it happened and its summary shown as a
 * summary; a subagent session left out with --no-children is named where its
 * task call is.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(180_000)

let sandbox: Sandbox
let compacted: string
let withChild: string

beforeAll(async () => {
  sandbox = await createSandbox()
  compacted = (await sandbox.prompt("the first question", [turn.text("The first answer.")])).sessionIDs[0]!
  const server = await sandbox.serve()
  try {
    // The mock answers the compaction's request with its canned summary (SUMMARY in mock-llm.ts).
    const answer = await fetch(`${server.url}/session/${compacted}/summarize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ providerID: "mock", modelID: "mock-model", auto: false }),
    })
    expect(answer.status).toBe(200)
  } finally {
    await server.stop()
  }
  const more = await sandbox.prompt("the second question", [turn.text("The second answer.")], { args: ["--session", compacted] })
  expect(more.code).toBe(0)
  sandbox.llm.script(
    turn.tool("task", { description: "Look around", prompt: "look", subagent_type: "general" }),
    turn.text("nothing here"),
    turn.text("Looked."),
  )
  const before = new Set(sandbox.sessionIDs())
  expect((await sandbox.run(["run", "-m", MOCK_MODEL, "delegate it"])).code).toBe(0)
  const db = sandbox.database()
  withChild = db
    .query<{ id: string }, []>("select id from session where parent_id is null order by time_created desc")
    .all()
    .map((r) => r.id)
    .find((sid) => !before.has(sid))!
  db.close()
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("a compacted session", () => {
  test("every message from the first, the compaction marked, the summary as a summary", async () => {
    for (const format of ["markdown", "html"]) {
      const whole = (await sandbox.run(["export", compacted, "--format", format, "--stdout"])).stdout
      // The HTML's table of contents lists the prompts first; the messages follow in <main>.
      const out = format === "html" ? whole.slice(whole.indexOf("<main>")) : whole
      const order = [
        "the first question",
        "The first answer.",
        "(requested): the conversation above was summarized for the model",
        "Summary · compaction · ",
        "the second question",
        "The second answer.",
      ].map((text) => out.indexOf(text))
      expect(order.every((at) => at >= 0)).toBe(true)
      expect([...order].sort((a, b) => a - b)).toEqual(order)
    }
  })
})

describe("--no-children", () => {
  test("the subagent session is left out, and named where its task call is", async () => {
    const full = (await sandbox.run(["export", withChild, "--stdout"])).stdout
    expect(full).toContain("Subagent: Look around")
    const without = (await sandbox.run(["export", withChild, "--no-children", "--stdout"])).stdout
    expect(without).not.toContain("Subagent: Look around")
    expect(without).toMatch(/Subagent session `ses_\w+` is not in this export \(left out with --no-children, or not found\)\./)
  })
})

describe("a session the runtime is writing", () => {
  test("exports taken while it runs are each a consistent snapshot: exit 0, whole messages, never fewer than before", async () => {
    sandbox.llm.script(
      turn.bash("echo one", "First step"),
      turn.stall(1_500, "still thinking"),
      turn.bash("echo two", "Second step"),
      turn.stall(1_500, "All steps done."),
    )
    const before = new Set(sandbox.sessionIDs())
    const run = sandbox.spawn(["run", "-m", MOCK_MODEL, "work slowly"])
    let live: string | undefined
    const counts: number[] = []
    const deadline = Date.now() + 60_000
    while (run.exitCode === null && Date.now() < deadline) {
      live ??= sandbox.sessionIDs().find((sid) => !before.has(sid))
      if (live) {
        const exported = await sandbox.run(["export", live, "--format", "json", "--stdout"])
        expect(exported.code).toBe(0)
        const doc = JSON.parse(exported.stdout) as { session: { messages: Array<{ info: { id: string }; parts: unknown[] }>; warnings: unknown[] } }
        expect(doc.session.warnings).toEqual([])
        counts.push(doc.session.messages.length)
      }
      await Bun.sleep(150)
    }
    expect(await run.exited).toBe(0)
    expect(counts.length).toBeGreaterThan(3)
    expect([...counts].sort((a, b) => a - b)).toEqual(counts)
    const final = JSON.parse((await sandbox.run(["export", live!, "--format", "json", "--stdout"])).stdout) as { session: { messages: unknown[] } }
    expect(final.session.messages.length).toBeGreaterThanOrEqual(counts.at(-1)!)
  })
})
