import { describe, expect, test } from "bun:test"
import { marked, type Tokens } from "marked"
import { fenced, fenceFor, inlineCode, longestRun } from "../../src/export/render/fence.ts"

const codeOf = (markdown: string) => marked.lexer(markdown).filter((t): t is Tokens.Code => t.type === "code")

describe("fences", () => {
  test("longestRun counts the longest run of backticks", () => {
    expect(longestRun("")).toBe(0)
    expect(longestRun("a ` b `` c")).toBe(2)
    expect(longestRun("`````")).toBe(5)
    expect(longestRun("~~~ ~~~~", "~")).toBe(4)
  })

  test("a fence is at least three backticks and one longer than any run inside", () => {
    expect(fenceFor("plain")).toBe("```")
    expect(fenceFor("``")).toBe("```")
    expect(fenceFor("```")).toBe("````")
    expect(fenceFor("a\n`````\nb")).toBe("``````")
  })

  for (const run of [3, 4, 5]) {
    test(`content holding a ${run}-backtick fence comes back exactly from a CommonMark lexer`, () => {
      const inner = `${"`".repeat(run)}ts\nconst x = 1\n${"`".repeat(run)}`
      const content = `before\n${inner}\nafter`
      const [code, ...rest] = codeOf(`# Doc\n\n${fenced(content, "md")}\nnext paragraph\n`)
      expect(rest).toHaveLength(0)
      expect(code!.text).toBe(content)
      expect(code!.lang).toBe("md")
    })
  }

  test("a fence inside a fence inside a fence", () => {
    const content = "````md\n```js\nconsole.log('`')\n```\n````"
    const [code] = codeOf(fenced(content, "markdown"))
    expect(code!.text).toBe(content)
  })

  test("an unclosed fence inside cannot swallow what follows", () => {
    const content = "```python\nprint('never closed')"
    const tokens = marked.lexer(`${fenced(content)}\n## User\n`)
    expect(tokens.find((t) => t.type === "heading")).toMatchObject({ depth: 2, text: "User" })
  })

  test("line endings become \\n; a final newline is not content", () => {
    expect(fenced("a\r\nb\r\n")).toBe("```\na\nb\n```\n")
    expect(fenced("")).toBe("```\n```\n")
  })

  test("inline code encloses any backticks and stays on one line", () => {
    for (const s of ["plain", "a`b", "``x``", "`edge`", "multi\nline", " spaced "]) {
      const tokens = marked.lexer(`x ${inlineCode(s)} y`)
      const span = (tokens[0] as Tokens.Paragraph).tokens.find((t) => t.type === "codespan") as Tokens.Codespan
      expect(span.text).toBe(s.replace(/\n/g, " "))
    }
  })
})
