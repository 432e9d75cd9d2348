/**
 * The transcript's view model, from JSON exports of real sessions (made by
 * `fixtures/make-export.ts`: the pinned runtime against the mock LLM, exported
 * through the overlay, redacted). The DOM it becomes is covered in a real
 * browser by test/e2e/app.test.ts.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { OUTPUT_MAX_LINES } from "@local/opencode/facts"
import {
  checkExport,
  transcriptView,
  type Block,
  type Inline,
  type Item,
  type MessageView,
  type SubagentView,
  type ToolItem,
  type TranscriptView,
} from "../src/lib/transcript.ts"
import type { ExportedPart, ExportedSession, JsonExport } from "../src/lib/types.ts"

const read = (name: string): JsonExport => checkExport(JSON.parse(readFileSync(join(import.meta.dir, "fixtures", name), "utf8")))
/** A fresh copy each time: tests change it. */
const rich = () => read("session-export.json")
const failing = () => read("failed-session-export.json")

const text = (parts: ReadonlyArray<Inline>) => parts.map((p) => (typeof p === "string" ? p : "code" in p ? p.code : p.strong)).join("")
const fact = (view: TranscriptView, name: string) => {
  const found = view.facts.find((f) => f.name === name)
  return found ? text(found.value) : undefined
}
const messages = (blocks: ReadonlyArray<Block>) => blocks.filter((b): b is MessageView => b.kind === "message")
const items = (blocks: ReadonlyArray<Block>) => messages(blocks).flatMap((m) => m.items)
const tools = (blocks: ReadonlyArray<Block>) => items(blocks).filter((i): i is ToolItem => i.kind === "tool")
const subagents = (list: ReadonlyArray<Block | Item>) => list.filter((b): b is SubagentView => b.kind === "subagent")

/** Every list in the view, to check its keys. */
function lists(view: TranscriptView): Array<ReadonlyArray<{ key: string }>> {
  const out: Array<ReadonlyArray<{ key: string }>> = [view.todos]
  const walk = (blocks: ReadonlyArray<Block>) => {
    out.push(blocks)
    for (const b of blocks) {
      if (b.kind === "message") {
        out.push(b.items)
        for (const s of subagents(b.items)) walk(s.blocks)
      } else if (b.kind === "subagent") walk(b.blocks)
      else if (b.kind === "changes") out.push(b.diffs)
    }
  }
  walk(view.blocks)
  return out
}

describe("the export", () => {
  test("a JSON export of schema version 1 is read; anything else is refused with a reason", () => {
    expect(rich().session.info.title).toBe("Fix the flaky build script")
    expect(() => checkExport({ format: "something-else" })).toThrow("did not answer with a session export")
    expect(() => checkExport(null)).toThrow("did not answer with a session export")
    expect(() => checkExport({ ...rich(), schema_version: 2 })).toThrow("schema version 2; this app reads version 1")
    expect(() => checkExport({ format: "opencode-session-export", schema_version: 1 })).toThrow("holds no session")
  })
})

describe("transcript view of a real session", () => {
  const doc = rich()
  const view = transcriptView(doc)

  test("session details: ids, times with offsets, directory, versions, agents, models, totals, redaction", () => {
    expect(view.title).toBe("Fix the flaky build script")
    expect(view.facts.map((f) => f.name)).toEqual([
      "Session",
      "Created",
      "Updated",
      "Directory",
      "Runtime",
      "Overlay",
      "Agents",
      "Models",
      "Messages",
      "Tool calls",
      "Errors",
      "Tokens",
      "Cost",
      "Redaction",
    ])
    expect(view.facts[0]!.value).toEqual([{ code: doc.session.info.id }])
    expect(fact(view, "Created")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    expect(fact(view, "Directory")).toBe("~/project")
    expect(fact(view, "Runtime")).toBe("opencode-ai 1.18.33")
    expect(fact(view, "Overlay")).toBe("opencode-local-overlay 0.1.0")
    expect(fact(view, "Agents")).toBe("build, general")
    expect(view.facts.find((f) => f.name === "Models")!.value).toEqual([{ code: "mock/mock-model" }, " (Mock Model)"])
    expect(fact(view, "Messages")).toBe("9 (2 user, 7 assistant), in this session and 1 subagent session")
    expect(fact(view, "Tool calls")).toBe("5 (1 failed)")
    expect(fact(view, "Errors")).toBe("1 (1 failed tool call, 0 assistant errors)")
    expect(fact(view, "Tokens")).toBe("840 input, 210 output, 0 reasoning, 0 cache read, 0 cache write")
    expect(fact(view, "Cost")).toBe("$0.0000")
    expect(fact(view, "Redaction")).toBe(
      "secrets replaced by [REDACTED:kind] (@secretlint/secretlint-rule-preset-recommend@13.0.7), home directory shown as ~",
    )
    expect(view.chips).toEqual(["models mock/mock-model", "messages 9", "tool calls 5", "errors 1", "cost $0.0000"])
  })

  test("todos, done or not", () => {
    expect(view.todos).toEqual([
      { key: "todo-0", content: "find the failing step", done: true, note: "" },
      { key: "todo-1", content: "fix the script", done: false, note: "(in_progress, medium priority)" },
    ])
  })

  test("one message per stored message, in order: the user's, then the answers, at heading level 2", () => {
    const top = messages(view.blocks)
    expect(view.blocks).toHaveLength(doc.session.messages.length)
    expect(top.map((m) => m.key)).toEqual(doc.session.messages.map((m) => m.info.id))
    expect(top.map((m) => m.role)).toEqual(["user", "assistant", "assistant", "assistant", "assistant", "assistant"])
    expect(top.every((m) => m.level === 2)).toBe(true)
    expect(top[0]!.meta).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    for (const m of top.slice(1)) expect(m.meta).toMatch(/^build · mock\/mock-model · \d+\.\d{2} s$/)
  })

  test("the user's message: its text, the attachments by name and type (a payload by size and hash), what the runtime added", () => {
    const user = messages(view.blocks)[0]!
    expect(user.items.map((i) => i.kind)).toEqual(["runtime-text", "runtime-text", "file", "runtime-text", "runtime-text", "file", "text"])
    expect(user.items.at(-1)).toMatchObject({ kind: "text", markdown: '"Why does the build fail on CI? Look at build.sh."' })
    expect(user.items[2]).toEqual({
      kind: "file",
      key: doc.session.messages[0]!.parts[2]!.id,
      name: "notes.txt",
      mime: "text/plain",
      url: "file://~/project/notes.txt",
    })
    expect(user.items[5]).toMatchObject({ kind: "file", name: "pixel.png", mime: "image/png", size: "70 bytes", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(user.items[5]).not.toHaveProperty("url") // the placeholder of the left-out bytes is not an address
    expect(user.items[1]).toMatchObject({ kind: "runtime-text", text: { text: expect.stringContaining("1: Build notes") } })
  })

  test("tool calls: name, a few words of what they did, status and time; error, input, output and diff for when opened", () => {
    const [bash, read, todo, task] = tools(view.blocks)
    expect(bash).toMatchObject({ tool: "bash", title: "cat .env && echo 'make: *** [all] Error 2'", status: "completed", failed: false })
    expect(bash!.duration).toMatch(/^\d+\.\d{2} s$/)
    expect(JSON.parse(bash!.input)).toEqual({ command: "cat .env && echo 'make: *** [all] Error 2'", description: "Run the build" })
    // What the server redacted stays redacted.
    expect(bash!.output).toEqual({ text: "GITHUB_TOKEN=[REDACTED:github-token]\nmake: *** [all] Error 2\n" })
    expect(bash).not.toHaveProperty("error")

    expect(read).toMatchObject({ tool: "read", title: "~/project/missing.txt", status: "error", failed: true, error: "File not found: ~/project/missing.txt" })
    expect(read).not.toHaveProperty("output")
    expect(todo).toMatchObject({ tool: "todowrite", status: "completed" })
    expect(task).toMatchObject({ tool: "task", title: "Count files", status: "completed" })
    expect(view.tools).toBe(5) // the subagent's call counts too
  })

  test("the subagent session follows the call that started it, two heading levels deeper", () => {
    const answer = messages(view.blocks).find((m) => m.items.some((i) => i.kind === "tool" && i.tool === "task"))!
    expect(answer.items.map((i) => i.kind)).toEqual(["tool", "subagent"])
    const child = doc.session.children[0]!
    const sub = subagents(answer.items)[0]!
    expect(sub.key).toBe(`subagent-${child.info.id}`)
    expect(sub.level).toBe(3)
    expect(sub.heading).toBe("Subagent: Count files (@general subagent)")
    expect(text(sub.intro)).toMatch(new RegExp(`^Session ${child.info.id} · agent general · created \\d{4}-\\d{2}-\\d{2}T`))
    expect(text(sub.end)).toBe(`End of subagent session ${child.info.id} (3 messages).`)
    const inner = messages(sub.blocks)
    expect(inner.map((m) => [m.role, m.level])).toEqual([
      ["user", 4],
      ["assistant", 4],
      ["assistant", 4],
    ])
    expect(inner[1]!.meta).toMatch(/^general · mock\/mock-model · /)
    expect(tools(sub.blocks).map((t) => t.title)).toEqual(["ls | wc -l"])
    expect(items(sub.blocks).at(-1)).toMatchObject({ kind: "text", markdown: "child done: 5 files" })
    // Shown once: not again after the messages.
    expect(subagents(view.blocks)).toEqual([])
  })

  test("reasoning and the answer's text, as Markdown (the view renders and sanitizes it); step markers show nothing", () => {
    const last = messages(view.blocks).at(-1)!
    expect(last.items.map((i) => i.kind)).toEqual(["reasoning", "text"])
    expect(last.items[0]).toMatchObject({ markdown: "The user wants the cause of a CI failure; the build output shows make failing." })
    const answer = last.items[1]!
    expect(answer.kind === "text" && answer.markdown).toStartWith("# Summary\n\nThe build fails because **make** exits with code 2.")
    expect(answer.kind === "text" && answer.markdown).toContain("<script>alert(1)</script>") // as the model wrote it: the view shows it as text
  })

  test("keys: unique in every list, the export's ids where it has them, the same on every read", () => {
    for (const list of lists(view)) expect(new Set(list.map((i) => i.key)).size).toBe(list.length)
    const partIDs = new Set(doc.session.messages.flatMap((m) => m.parts.map((p) => p.id)))
    for (const item of items(view.blocks)) if (item.kind !== "subagent") expect(partIDs.has(item.key)).toBe(true)
    expect(transcriptView(rich())).toEqual(view)
  })
})

describe("transcript view: errors and what a session may hold", () => {
  test("an answer that ended in a provider error shows the error's name and message", () => {
    const view = transcriptView(failing())
    const [user, answer] = messages(view.blocks)
    expect(user!.items).toMatchObject([{ kind: "text", markdown: '"this will fail"' }])
    expect(answer!.items).toEqual([{ kind: "error", key: `${answer!.key}-error`, name: "APIError", text: "mock provider exploded" }])
    expect(fact(view, "Errors")).toBe("1 (0 failed tool calls, 1 assistant error)")
    expect(view.tools).toBe(0)
  })

  /** The rich export with the last answer's parts replaced. */
  function withParts(parts: ReadonlyArray<Record<string, unknown>>, change?: (session: ExportedSession) => void): TranscriptView {
    const doc = rich()
    const session = doc.session as unknown as { messages: Array<{ info: { id: string; sessionID: string }; parts: ExportedPart[] }> }
    const last = session.messages.at(-1)!
    last.parts = parts.map((p, i) => ({ id: `prt_test${i}`, sessionID: last.info.sessionID, messageID: last.info.id, ...p }) as ExportedPart)
    change?.(doc.session)
    return transcriptView(doc)
  }
  const lastItems = (view: TranscriptView) => messages(view.blocks).at(-1)!.items

  test("a part type this app does not know, or a known one in a shape it cannot read, is named, not dropped", () => {
    const view = withParts([{ type: "hologram", beam: 1 }, { type: "tool", tool: "bash" }, { type: "text", text: "still here" }])
    expect(lastItems(view)).toEqual([
      { kind: "unsupported", key: "prt_test0", type: "hologram", id: "prt_test0" },
      { kind: "unsupported", key: "prt_test1", type: "tool", id: "prt_test1" },
      { kind: "text", key: "prt_test2", markdown: "still here" },
    ])
  })

  test("empty and ignored text, empty reasoning: nothing", () => {
    const view = withParts([
      { type: "text", text: "  \n" },
      { type: "text", text: "ignored", ignored: true },
      { type: "reasoning", text: "", time: { start: 0 } },
    ])
    expect(lastItems(view)).toEqual([])
  })

  test("long tool output is cut at OUTPUT_MAX_LINES lines, saying how much more there is", () => {
    const output = Array.from({ length: 300 }, (_, i) => `line ${i}`).join("\n")
    const [tool] = lastItems(
      withParts([{ type: "tool", tool: "bash", callID: "c", state: { status: "completed", input: { command: "seq" }, output, title: "", metadata: {}, time: { start: 0, end: 12_345 } } }]),
    ) as ToolItem[]
    expect(tool!.title).toBe("seq") // no title: the main argument
    expect(tool!.duration).toBe("12.3 s")
    expect(tool!.output!.text.split("\n")).toHaveLength(OUTPUT_MAX_LINES)
    expect(tool!.output!.cut).toEqual({ chars: output.length - tool!.output!.text.length, lines: 100 })
  })

  test("calls still running or never run; an edit's diff; notes for patches, retries, compactions, agents, subtasks", () => {
    const view = withParts([
      { type: "tool", tool: "bash", callID: "a", state: { status: "running", input: { command: "sleep 100" }, time: { start: 0 } } },
      { type: "tool", tool: "read", callID: "b", state: { status: "pending", input: {}, raw: "" } },
      {
        type: "tool",
        tool: "edit",
        callID: "c",
        state: { status: "completed", input: { filePath: "a.ts" }, output: "ok", title: "a.ts", metadata: { diff: "-old\n+new" }, time: { start: 0, end: 1 } },
      },
      { type: "patch", hash: "abc123", files: ["a.ts", "b.ts"] },
      { type: "retry", attempt: 2, error: { name: "APIError", data: { message: "overloaded", isRetryable: true } }, time: { created: 0 } },
      { type: "compaction", auto: true },
      { type: "agent", name: "plan" },
      { type: "subtask", prompt: "p", description: "Look around", agent: "explore" },
    ])
    const [running, pending, edit, ...notes] = lastItems(view)
    expect(running).toMatchObject({ status: "running", title: "sleep 100", failed: false })
    expect(running).not.toHaveProperty("duration")
    expect(pending).toMatchObject({ status: "pending", title: "", input: "{}" })
    expect(edit).toMatchObject({ diff: "-old\n+new", output: { text: "ok" } })
    expect(notes.map((n) => (n.kind === "note" ? [n.label, text(n.text), n.block ?? null] : n.kind))).toEqual([
      ["Patch", "abc123: a.ts, b.ts", null],
      ["Retry", "attempt 2 after an error:", "overloaded"],
      ["Compaction", "(automatic): the conversation above was summarized for the model, which goes on from the summary below.", null],
      ["Agent", "@plan", null],
      ["Subtask", "for @explore: Look around", null],
    ])
    expect(view.tools).toBe(5 + 3) // the session's five calls and these three
  })

  test("rows the export could not read come first; a subagent no call names comes after the messages; then the changed files", () => {
    const view = withParts([{ type: "text", text: "done" }], (session) => {
      const s = session as unknown as { warnings: unknown[]; info: { summary?: unknown }; messages: Array<{ parts: Array<{ tool?: string; state?: { metadata?: Record<string, unknown> } }> }> }
      s.warnings.push({ kind: "part", id: "prt_bad", messageID: "msg_x", problem: "not valid JSON", raw: "{oops" })
      // The task call no longer names its session.
      for (const m of s.messages) for (const p of m.parts) if (p.tool === "task") delete p.state!.metadata!.sessionId
      s.info.summary = { additions: 3, deletions: 1, files: 1, diffs: [{ file: "build.sh", patch: "-make\n+make all", additions: 3, deletions: 1, status: "modified" }] }
    })
    expect(view.blocks.map((b) => b.kind)).toEqual(["warning", "message", "message", "message", "message", "message", "message", "subagent", "changes"])
    const warning = view.blocks[0]!
    expect(warning.kind === "warning" && text(warning.text)).toBe(
      "Warning: Part prt_bad of message msg_x could not be read: not valid JSON. It is left out here; the JSON export lists it under warnings.",
    )
    expect(view.blocks.at(-1)).toEqual({
      kind: "changes",
      key: "changes",
      level: 2,
      diffs: [{ kind: "diff", key: "changes-0", file: "build.sh", additions: 3, deletions: 1, status: "modified", patch: "-make\n+make all" }],
    })
  })
})
