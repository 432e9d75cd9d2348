import { describe, expect, test } from "bun:test"
import { marked, type Token, type Tokens } from "marked"
import { embedMarkdown, escapeInline, quoted } from "../../src/export/render/embed.ts"

/** The document's own structure: top-level headings only. */
const headings = (markdown: string) =>
  marked
    .lexer(markdown)
    .filter((t): t is Tokens.Heading => t.type === "heading")
    .map((h) => `${h.depth}:${h.text}`)

/** A message section as the renderer writes it, then the next message's heading. */
const section = (text: string) => `## Assistant\n\n${embedMarkdown(text, 3).text}\n## User\n\nnext\n`

describe("embedding message text", () => {
  test("plain Markdown goes in verbatim", () => {
    const text = "Some **bold** text.\n\n- a list\n- of items\n\n```ts\nconst a = 1\n```"
    expect(embedMarkdown(text, 3)).toEqual({ kind: "markdown", text: `${text}\n` })
  })

  test("headings move below the message heading; code keeps its #-lines", () => {
    const text = "# Plan\n\n## Step one\n\n```sh\n# a comment, not a heading\n```\n\n###### deep"
    const out = embedMarkdown(text, 3)
    expect(out.kind).toBe("markdown")
    expect(headings(section(text))).toEqual(["2:Assistant", "3:Plan", "4:Step one", "6:deep", "2:User"])
    expect(out.text).toContain("# a comment, not a heading")
  })

  const unsafe: Record<string, string> = {
    "an unclosed fence": "Look:\n```python\nprint('x')\n\n## not a heading",
    "an unclosed tilde fence": "~~~~\ncode",
    "an HTML block": "<details>\n\n## hidden\n",
    "an HTML comment": "<!-- open comment\n## User",
    "a link reference definition": "[docs]: https://example.com\n",
    "a setext heading": "Title\n=====\n",
    "a setext heading made of dashes": "Title\n---\n",
  }
  for (const [what, text] of Object.entries(unsafe)) {
    test(`a text with ${what} is fenced whole and cannot change the document`, () => {
      const out = embedMarkdown(text, 3)
      expect(out.kind).toBe("fenced")
      expect(headings(section(text))).toEqual(["2:Assistant", "2:User"])
      const code = marked.lexer(out.text).find((t): t is Tokens.Code => t.type === "code")
      expect(code!.text).toBe(text.replace(/\n+$/, ""))
    })
  }

  test("a thematic break after a blank line stays Markdown", () => {
    expect(embedMarkdown("one\n\n---\n\ntwo", 3).kind).toBe("markdown")
  })

  test("a fence closed by a longer run is closed; an info string with a backtick is not a fence", () => {
    expect(embedMarkdown("```\ncode\n`````", 3).kind).toBe("markdown")
    expect(embedMarkdown("``` not `a fence`\n# heading", 3)).toEqual({ kind: "markdown", text: "``` not `a fence`\n### heading\n" })
  })

  test("a nested fence (a fence shown inside a longer one) stays verbatim and exact", () => {
    const inner = "```js\nconsole.log(1)\n```"
    const text = `Here is how:\n\n\`\`\`\`md\n${inner}\n\`\`\`\`\n\nDone.`
    const out = embedMarkdown(text, 3)
    expect(out.kind).toBe("markdown")
    const code = marked.lexer(out.text).find((t): t is Tokens.Code => t.type === "code")
    expect(code!.text).toBe(inner)
  })

  test("escapeInline shows exactly the text, on one line", () => {
    for (const s of ["a *b* _c_ `d` [e](f) <g> #h |i| ~j~ &amp; !k \\l", "two\nlines", "# not a heading"]) {
      const md = `## ${escapeInline(s)}\n`
      const [h] = marked.lexer(md) as Token[]
      expect(h!.type).toBe("heading")
      const texts = (h as Tokens.Heading).tokens.map((t) => ("text" in t ? t.text : ""))
      expect(texts.join("")).toBe(s.replace(/\n/g, " "))
    }
  })

  test("quoted text cannot leave its block quote", () => {
    const md = `${quoted("**Thinking**\n\n```\nunclosed")}\n## User\n`
    expect(headings(md)).toEqual(["2:User"])
  })
})
