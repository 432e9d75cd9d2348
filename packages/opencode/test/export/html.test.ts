import { describe, expect, test } from "bun:test"
import { commonShapes, HTML_CSP, htmlDocument, markedOnly } from "../../src/export/render/html.ts"
import type { ReadableOptions } from "../../src/export/document/choices.ts"
import { assistant, completed, doc, resetIds, sample, session, text, tool, tree, user } from "./fixtures.ts"

const quiet: ReadableOptions = { thinking: false, toolDetails: false, diffs: false }
const loud: ReadableOptions = { thinking: true, toolDetails: true, diffs: true }

const page = (t: ReturnType<typeof sample>, options: ReadableOptions): Promise<string> => htmlDocument(doc(t), options)

const PAYLOADS = [
  `<script>window.__pwned = 1</script>`,
  `<img src=x onerror="window.__pwned = 2">`,
  `[click](javascript:alert(1))`,
  `![tracker](https://example.com/pixel.png)`,
  `<a href="javascript:alert(3)">x</a>`,
]

function hostile() {
  resetIds()
  const sid = "ses_x"
  return tree(session(sid, { title: `<script>alert("title")</script>` }), [
    user(sid, [text(PAYLOADS.join("\n\n"))]),
    assistant(sid, [
      text(PAYLOADS.join(" and ")),
      tool("bash", completed({ command: `<script>x</script>` }, `<img src=x onerror=alert(4)>`, `<b onclick=alert(5)>`)),
    ]),
  ])
}

describe("HTML renderer", () => {
  test("one document: the strict policy first, then title, metadata, prompts, messages, and its own script last", async () => {
    const html = await page(sample(), quiet)
    expect(html.startsWith("<!doctype html>\n")).toBe(true)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`)
    expect(HTML_CSP).toContain("default-src 'none'")
    expect(HTML_CSP).not.toContain("unsafe")
    expect(html).toContain("<dt>Session</dt><dd><code>ses_main</code></dd>")
    expect(html).toContain('<nav class="toc"')
    expect(html.match(/<section class="m user"/g)).toHaveLength(2) // one in the subagent session
    expect(html.trimEnd().endsWith("</html>")).toBe(true)
    expect(html.match(/<script>/g)).toHaveLength(1)
  })

  test("tool calls are one line; with details they open to input, output (cut like the Markdown) and error; diffs coloured", async () => {
    const quietPage = await page(sample(), quiet)
    expect(quietPage).toContain('<p class="t"><code>bash</code> List files <span class="st">· completed')
    const loudPage = await page(sample(), loud)
    expect(loudPage).toContain('<details class="t"><summary><code>bash</code> List files')
    expect(loudPage).toContain("more lines) cut here; the JSON export has all of it.")
    expect(loudPage).toContain('<details class="t fail"><summary><code>read</code>')
    expect(loudPage).toContain('<span class="d">-old</span><span class="a">+new</span>')
    expect(loudPage).toContain('<details class="r"><summary>Thinking</summary>')
    expect(loudPage).toContain('<details class="sub" open><summary>Subagent: Count files (@general subagent)')
  })

  test("session content is text: no markup of its own, no handler, no script, no image, no javascript: link", async () => {
    const html = await page(hostile(), loud)
    const body = html.slice(html.indexOf("<body>"), html.lastIndexOf("<script>"))
    expect(body).not.toMatch(/<(?:script|img|iframe|object|embed)\b/i) // as elements: the words are there as text
    expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i)
    expect(body).not.toMatch(/href="javascript:/i)
    expect(body).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;")
    expect(body).toContain("[image: tracker] <code>https://example.com/pixel.png</code>")
    expect(html).toContain("<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;</title>")
  })

  test("the same tree and options give the same bytes", async () => {
    expect(await page(sample(), loud)).toBe(await page(sample(), loud))
  })

  test("answers in their common shapes (paragraphs, fenced code) render as the full parser renders them", () => {
    const texts = [
      "Plain words.\n\nA second paragraph with `code` and **bold** and a [link](https://example.com).",
      "Before:\n\n```ts\nconst a = 1 < 2\n```\n\nAfter, with _emphasis_.",
      "```\nno language\n```",
      "~~~sh\necho hi\n~~~\ntext right after",
      "It's \"quoted\" & <b>raw</b>.",
      "```js\nnever closed",
      "- a list\n- of two",
      "# A heading\ntext",
      "line one  \nline two (a hard break)",
      "`code` at the start of a line",
      "    indented code",
    ]
    for (const t of texts) {
      const fast = commonShapes(t)
      if (fast !== undefined) expect([t, fast]).toEqual([t, markedOnly(t)])
    }
    // Plain paragraphs skip even the inline parser: random ones of that alphabet, and look-alikes of links.
    const alphabet = "ab Z09,.;?()'\"-\n"
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let n = 0; n < 500; n++) {
      const t = Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("")
      const fast = commonShapes(t)
      if (fast !== undefined) expect([t, fast]).toEqual([t, markedOnly(t)])
    }
    for (const t of ["see www.example.com now", "mail me at a@b.co", "go to https://x.y", "a &amp; b", "x\\\ny"]) expect([t, commonShapes(t)]).toEqual([t, markedOnly(t)])
    // The shapes it leaves to the full parser.
    for (const t of ["```js\nnever closed", "- a list\n- of two", "# A heading\ntext", "line one  \nline two (a hard break)", "    indented code"])
      expect(commonShapes(t)).toBeUndefined()
  })
})
