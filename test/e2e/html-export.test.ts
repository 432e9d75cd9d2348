/**
 * The HTML export of a real session (a tool call, a failing tool, a subagent
 * session, hostile markup in the prompt and the answer), opened from disk in
 * Chromium with every request watched: the page asks for nothing, runs none
 * of the session's markup, and its own script works (search, filter, a tool
 * call that opens).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { Page, Request } from "playwright-core"
import { launchBrowser, type Browser } from "../support/browser.ts"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(180_000)

const HOSTILE = `Show this: <script>window.__pwned = "script"</script> <img src="https://example.com/x.png" onerror="window.__pwned = 'img'"> [link](javascript:window.__pwned='link') ![pixel](https://example.com/pixel.png)`

let sandbox: Sandbox
let browser: Browser
let page: Page
let path: string
let md: string
const requests: Request[] = []

beforeAll(async () => {
  sandbox = await createSandbox({ title: "Page check" })
  sandbox.llm.script(
    turn.bash("echo zebracorn", "Print a rare word"),
    turn.tool("read", { filePath: join(sandbox.project, "missing.txt") }),
    turn.tool("task", { description: "Count files", prompt: "count the files", subagent_type: "general" }),
    turn.bash("ls | wc -l", "Count"),
    turn.text("child done"),
    turn.text(`Answer: ${HOSTILE}\n\n\`\`\`sh\necho done\n\`\`\``),
  )
  const run = await sandbox.run(["run", "-m", MOCK_MODEL, HOSTILE])
  expect(run.code).toBe(0)
  const db = sandbox.database()
  const root = db.query<{ id: string }, []>("select id from session where parent_id is null").get()!.id
  db.close()
  path = join(sandbox.root, "page.html")
  const exported = await sandbox.run(["export", root, "--format", "html", "--tool-details", "-o", path])
  expect(exported.code).toBe(0)
  expect(exported.stderr).toContain("as HTML")
  md = (await sandbox.run(["export", root, "--stdout"])).stdout
  browser = await launchBrowser()
  page = browser.page
  page.on("request", (r) => requests.push(r))
  await page.goto(pathToFileURL(path).href)
})

afterAll(async () => {
  await browser?.close()
  await sandbox?.dispose()
})

describe("the HTML export in a browser", () => {
  test("it loads nothing but itself and runs none of the session's markup", async () => {
    await page.getByRole("heading", { level: 1 }).waitFor()
    expect(requests.map((r) => r.url())).toEqual([pathToFileURL(path).href])
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(await page.locator("main img, main script, main iframe").count()).toBe(0)
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0)
    // The markup is there to read, as text.
    await page.getByText('<script>window.__pwned = "script"</script>', { exact: false }).first().waitFor()
    expect(browser.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([])
  })

  test("it shows what the Markdown shows: the header, every message, the tools, the subagent session", async () => {
    const text = await page.locator("body").innerText()
    for (const line of ["Page check", "Tool calls", "Subagent: ", "echo zebracorn", "child done", "done"]) expect(text).toContain(line)
    expect(md).toContain("Subagent: ")
    const messages = md.match(/^#{2,6} (User|Assistant) · /gm)!.length
    expect(await page.locator("section.m.user, section.m.assistant").count()).toBe(messages)
  })

  test("a tool call opens to its input and output", async () => {
    const call = page.locator("details.t", { hasText: "Print a rare word" }).first()
    expect(await call.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    await call.locator("summary").click()
    expect(await call.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true)
    await call.getByText("zebracorn").last().waitFor()
  })

  test("search finds a word and hides the rest; the role filter shows one side", async () => {
    const all = await page.locator("section.m:visible").count()
    await page.keyboard.press("/")
    await page.keyboard.type("zebracorn")
    await page.getByText(/\d+ matching/).waitFor()
    const shown = await page.locator("section.m:visible").count()
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(all)
    await page.locator("#q").fill("")
    await page.locator("#role").selectOption("user")
    expect(await page.locator("section.m.assistant:visible").count()).toBe(0)
    expect(await page.locator("section.m.user:visible").count()).toBeGreaterThan(0)
  })

  test("the file is one document with its policy inside", () => {
    const html = readFileSync(path, "utf8")
    expect(html).toMatch(/^<!doctype html>\n/)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`)
    expect(sandbox.capture.requests).toHaveLength(0)
  })
})
