/**
 * Text the exports must survive, in real sessions: terminal output (a bash
 * tool call that prints colours, a hyperlink, a bell and a progress bar
 * rewritten 500 times: the Markdown and HTML show what a terminal showed, the
 * JSON keeps what the runtime stored), and hostile titles and slugs (safe
 * file names inside the chosen folder; the content keeps every character).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
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

describe("hostile titles and slugs", () => {
  const TITLE = `../../etc/passwd \\ back\u0000slash 🚀 שלום עולם ${"long ".repeat(60)}`

  test("the file name is safe and inside the chosen folder; the title is kept whole in the content", async () => {
    // A session whose slug and title came from elsewhere (an imported export can say anything); its messages
    // and parts get ids of their own, as a copy needs (import refuses ids that belong to another session).
    const text0 = (await sandbox.run(["export", id, "--format", "json", "--stdout"])).stdout
    const exported = JSON.parse(text0.replace(/"(msg|prt)_[0-9a-z]/g, '"$1_z'))
    exported.session.info.id = "ses_hostile000000000000000000"
    exported.session.info.slug = "../../../etc/passwd"
    exported.session.info.title = TITLE
    const file = join(sandbox.root, "hostile.json")
    writeFileSync(file, JSON.stringify(exported))
    expect((await sandbox.run(["import", file])).code).toBe(0)
    const out = join(sandbox.root, "out")
    mkdirSync(out)
    const md = await sandbox.run(["export", "ses_hostile000000000000000000", "-o", `${out}/`])
    expect(md.code).toBe(0)
    const written = md.stdout.trim()
    expect(readdirSync(out)).toEqual([written.slice(out.length + 1)])
    expect(written.slice(out.length + 1)).toMatch(/^[a-z0-9-]+-\d{8}-\d{4}\.md$/)
    const text = readFileSync(written, "utf8")
    expect(text).toContain("🚀 שלום עולם")
    expect(text).toContain("../../etc/passwd")
    const html = await sandbox.run(["export", "ses_hostile000000000000000000", "--format", "html", "-o", `${out}/`])
    expect(readFileSync(html.stdout.trim(), "utf8")).toContain("🚀 שלום עולם")
  })
})
