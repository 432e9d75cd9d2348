import { describe, expect, test } from "bun:test"
import { marked, type Tokens } from "marked"
import { renderJson } from "../../src/export/render/json.ts"
import { OUTPUT_MAX_LINES } from "../../src/export/render/facts.ts"
import { markdownDocument } from "../../src/export/render/markdown.ts"
import type { ReadableOptions } from "../../src/export/document/choices.ts"
import { doc, sample } from "./fixtures.ts"

const quiet: ReadableOptions = { thinking: false, toolDetails: false, diffs: false }
const loud: ReadableOptions = { thinking: true, toolDetails: true, diffs: true }

const headings = (md: string) =>
  marked
    .lexer(md)
    .filter((t): t is Tokens.Heading => t.type === "heading")
    .map((h) => `${h.depth} ${h.text}`)

describe("Markdown renderer", () => {
  test("title, metadata, then one heading per message; subagent messages nested two levels deeper", async () => {
    const md = await markdownDocument(doc(sample()), quiet)
    expect(headings(md).map((h) => h.replace(/ · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, " · <time>"))).toEqual([
      "1 Fix the parser",
      "2 User · <time>",
      // The user's own "## " heading, moved below the message heading.
      "4 Please fix the *parser*",
      "2 Assistant · build · mock/mock-model · 1.50 s",
      "3 Subagent: Count files (@general subagent)",
      "4 User · <time>",
      "4 Assistant · general · mock/mock-model · 1.50 s",
      "2 Assistant · build · mock/mock-model · 1.50 s",
    ])
  })

  test("metadata: ids, times with offsets, versions, agents, models with names, totals", async () => {
    const md = await markdownDocument(doc(sample()), quiet)
    const head = md.slice(0, md.indexOf("## User"))
    expect(head).toContain("- Session: `ses_main`")
    expect(head).toMatch(/- Created: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/)
    expect(head).toContain("- Runtime: opencode-ai 1.18.33")
    expect(head).toContain("- Overlay: opencode-local-overlay 0.1.0")
    expect(head).toContain("- Agents: build, general")
    expect(head).toContain("- Models: `mock/mock-model` (Mock Model)")
    expect(head).toContain("- Messages: 5 (2 user, 3 assistant), in this session and 1 subagent session")
    expect(head).toContain("- Tool calls: 4 (1 failed)")
    expect(head).toContain("- Errors: 2 (1 failed tool call, 1 assistant error)")
    expect(head).toContain("- Tokens: 360 input, 90 output, 15 reasoning, 30 cache read, 0 cache write")
    expect(head).toContain("- Cost: $0.0036")
    expect(head).toContain("- [x] write tests")
    expect(head).toContain("- [ ] ship \\*it\\* (in\\_progress, low priority)")
  })

  test("tool calls, errors, attachments and unknown parts, one line each", async () => {
    const md = await markdownDocument(doc(sample()), quiet)
    expect(md).toContain("**Tool** `bash` · List files · completed · 0.25 s")
    expect(md).toContain("**Tool** `read` · /nope/missing.txt · **failed** · 0.02 s\n\n**Error:**\n\n```text\nFile not found: /nope/missing.txt\n```")
    expect(md).toContain(`**File** \`shot.png\` · image/png · 70 B · sha256 \`${"ab".repeat(32)}\``)
    expect(md).toMatch(/\*\*Unsupported part\*\* `hologram` \(`prt_\d+`\): not shown here; the JSON export keeps it\./)
    expect(md).toContain("**Error** (`APIError`):\n\n```text\nprovider exploded\n```")
    expect(md).toContain("> **Warning:** Part `prt_bad` of message `msg_x` could not be read: not valid JSON.")
    // Off by default: reasoning, tool input/output, runtime-added text, diffs.
    expect(md).not.toContain("Thinking")
    expect(md).not.toContain("file0")
    expect(md).not.toContain("file contents the runtime read")
    expect(md).not.toContain("+new")
  })

  test("on request: reasoning, tool input and output (cut with a note), added text, diffs", async () => {
    const md = await markdownDocument(doc(sample()), loud)
    expect(md).toContain("> **Thinking**\n>\n> Think about `the` bug.")
    expect(md).toContain('*Input:*\n\n```json\n{\n  "command": "ls",')
    expect(md).toContain("file0\nfile1")
    expect(md).not.toContain(`file${OUTPUT_MAX_LINES}\n`)
    expect(md).toContain(`*… 800 more characters (100 more lines) cut here; the JSON export has all of it.*`)
    expect(md).toContain("file contents the runtime read")
    expect(md).toContain("```diff\n--- a.ts\n+++ a.ts\n@@\n-old\n+new\n```")
  })

  test("fenced content comes back exactly", async () => {
    const md = await markdownDocument(doc(sample()), quiet)
    const codes = marked.lexer(md).filter((t): t is Tokens.Code => t.type === "code")
    expect(codes.map((c) => c.text)).toContain("```js\nfix()\n```")
  })

  test("same tree and options, same bytes", async () => {
    const a = await markdownDocument(doc(sample()), loud)
    const b = await markdownDocument(doc(sample()), loud)
    expect(a).toBe(b)
  })
})

describe("JSON renderer", () => {
  const render = async () => {
    let out = ""
    for await (const chunk of renderJson(doc(sample()))) out += chunk
    return out
  }

  test("the envelope, then the tree: every message and part, children, warnings, stats and totals", async () => {
    const json = JSON.parse(await render())
    expect(json).toMatchObject({
      format: "opencode-session-export",
      schema_version: 1,
      exported_at: "2025-03-04T10:00:00+00:00",
      runtime: { name: "opencode-ai", version: "1.18.33" },
      overlay: { name: "opencode-local-overlay", version: "0.1.0" },
      source: "database",
      redaction: { secrets: true, home: true, binary_payloads: "omitted" },
    })
    const s = json.session
    expect(s.info.id).toBe("ses_main")
    expect(s.todos).toHaveLength(2)
    expect(s.messages).toHaveLength(3)
    expect(s.messages[1].parts.map((p: { type: string }) => p.type)).toEqual([
      "step-start", "reasoning", "text", "tool", "tool", "tool", "tool", "hologram", "step-finish",
    ])
    expect(s.warnings).toEqual([{ kind: "part", id: "prt_bad", messageID: "msg_x", problem: "not valid JSON", raw: "{oops" }])
    expect(s.children.map((c: { info: { id: string } }) => c.info.id)).toEqual(["ses_child"])
    expect(s.children[0].messages).toHaveLength(2)
    expect(s.stats).toMatchObject({ messages: 3, toolCalls: 4, failedTools: 1, messageErrors: 1 })
    expect(json.totals).toMatchObject({ messages: 5, sessions: 2 })
  })

  test("same tree, same bytes", async () => {
    expect(await render()).toBe(await render())
  })
})
