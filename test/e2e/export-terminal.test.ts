/**
 * Terminal output in a real session (a bash tool call that prints colours, a
 * hyperlink, a bell and a progress bar rewritten 500 times): the Markdown and
 * HTML show what a terminal showed, the JSON keeps what the runtime stored.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(120_000)

const SCRIPT = [
  String.raw`printf '\033[1;31mred and bold\033[0m, \033]8;;https://example.com\033\\a link\033]8;;\033\\, a bell\007\r\n'`,
  String.raw`for i in $(seq 1 500); do printf '\r[%3d/500]' $i; done`,
  "echo; echo finished",
].join("; ")

let sandbox: Sandbox
let id: string

beforeAll(async () => {
  sandbox = await createSandbox()
  sandbox.llm.script(turn.bash(SCRIPT, "Print like a terminal"), turn.text("Printed."))
  const run = await sandbox.run(["run", "-m", MOCK_MODEL, "print something colourful"])
  expect(run.code).toBe(0)
  id = sandbox.sessionIDs()[0]!
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("terminal output", () => {
  test("the Markdown shows the text without escapes, the progress bar's final state on one line, the bell visible", async () => {
    const md = (await sandbox.run(["export", id, "--tool-details", "--stdout"])).stdout
    expect(md).toContain("red and bold, a link, a bell\\x07\n")
    expect(md).toContain("[500/500]\nfinished")
    expect(md).not.toContain("\x1b")
    expect(md).not.toContain("\r")
    expect(md).not.toContain("[499/500]")
  })

  test("so does the HTML", async () => {
    const html = (await sandbox.run(["export", id, "--tool-details", "--format", "html", "--stdout"])).stdout
    expect(html).toContain("red and bold, a link, a bell\\x07\n[500/500]\nfinished")
    expect(html).not.toContain("\x1b")
  })

  test("the JSON keeps what the runtime stored", async () => {
    const json = (await sandbox.run(["export", id, "--format", "json", "--stdout"])).stdout
    expect(json).toContain(String.raw`\u001b[1;31mred and bold\u001b[0m`)
    expect(json).toContain(String.raw`\r[500/500]`)
  })
})
