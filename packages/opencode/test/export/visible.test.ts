/**
 * What the readable formats leave out before sanitizing (visible.ts) must be
 * exactly what they never show: for every combination of options, Markdown
 * and HTML of the sample session are the same bytes with and without it.
 */
import { describe, expect, test } from "bun:test"
import { htmlDocument } from "../../src/export/render/html.ts"
import { markdownDocument } from "../../src/export/render/markdown.ts"
import type { ReadableOptions } from "../../src/export/document/choices.ts"
import { createSanitizer } from "../../src/export/screen/sanitize.ts"
import { visiblePart } from "../../src/export/render/visible.ts"
import { doc, sample, tool, completed } from "./fixtures.ts"

const combos: ReadableOptions[] = [false, true].flatMap((thinking) =>
  [false, true].flatMap((toolDetails) => [false, true].map((diffs) => ({ thinking, toolDetails, diffs }))),
)

const shown = (options: ReadableOptions) => createSanitizer({ redact: false, visible: visiblePart(options) }).tree(sample())

describe("the parts a readable export reads", () => {
  for (const options of combos) {
    const name = Object.entries(options).map(([k, v]) => `${k} ${v ? "on" : "off"}`).join(", ")
    test(`${name}: Markdown and HTML unchanged`, async () => {
      expect(await markdownDocument(doc(await shown(options)), options)).toBe(await markdownDocument(doc(sample()), options))
      expect(await htmlDocument(doc(await shown(options)), options)).toBe(await htmlDocument(doc(sample()), options))
    })
  }

  test("a tool call without details keeps its name, title arguments, state, error, subagent and diff only", () => {
    const part = {
      id: "prt_1",
      sessionID: "ses_1",
      messageID: "msg_1",
      ...tool("write", completed({ filePath: "a.env", content: "SECRET=1" }, "wrote 1 line", "a.env", { diff: "+x", sessionId: "ses_c", exit: 0 })),
    }
    // @ts-expect-error: a hand-made part of the SDK's shape
    const summary = visiblePart({ thinking: false, toolDetails: false, diffs: true })(part)
    expect(summary).toMatchObject({ type: "tool", tool: "write", state: { status: "completed", input: { filePath: "a.env" }, output: "", title: "a.env", metadata: { diff: "+x", sessionId: "ses_c" } } })
    expect(JSON.stringify(summary)).not.toContain("SECRET")
    expect(JSON.stringify(summary)).not.toContain("wrote 1 line")
    // @ts-expect-error: as above
    expect(visiblePart({ thinking: false, toolDetails: true, diffs: false })(part)).toBe(part)
  })
})
