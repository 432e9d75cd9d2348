/**
 * The web app (packages/app) in a real browser: Debian's Chromium driven by
 * playwright-core, against `opencode serve` through the overlay, with real
 * sessions the pinned runtime stored. One sandbox, one server, one browser;
 * the tests share them and run in order (each loads the app afresh).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { buildAppIfStale } from "../support/app-build.ts"
import { launchBrowser, type Browser } from "../support/browser.ts"
import { turn } from "../support/mock-llm.ts"
import { testWithEvidence } from "../support/artifacts.ts"
import { createSandbox, REPO_ROOT, type Sandbox, type Server } from "../support/sandbox.ts"

// The runtime boots in seconds on 2 cores, and the setup makes three real sessions; bun applies a default timeout per file.
setDefaultTimeout(120_000)

const ARTIFACTS = join(REPO_ROOT, ".artifacts")
const DOCS = join(REPO_ROOT, "docs")
/** Fixed export time for the server and the CLI alike, so JSON exports compare byte for byte. */
const EPOCH = { SOURCE_DATE_EPOCH: "1767225600" }

const MAIN_TITLE = "Fix the flaky build script"
const XSS_TITLE = "Untrusted markup check"
const PUBLISHED_TITLE = "Release notes draft"
const XSS_USER = `Show this as text: <script>window.__pwned = "user script"</script> and <img src=x onerror="window.__pwned = 'user img'">`
const XSS_ANSWER = `Echo: <img src=x onerror="window.__pwned = 'answer img'"> then <script>window.__pwned = "answer script"</script> done.`

let sandbox: Sandbox
let server: Server
let browser: Browser
let page: Page
let mainID: string
let xssID: string
let publishedID: string
const test = testWithEvidence(import.meta.path, () => ({ page, sandbox }))
/** Requests the share host had seen once the sessions were made (the published one's). */
let publishesBefore: number
/** What the banner may say, word for word: the only place "share" may appear. */
let bannerText: string
/** Messages of alert/confirm/prompt dialogs the page opened (session content must open none). */
const dialogs: string[] = []

beforeAll(async () => {
  const build = buildAppIfStale()
  sandbox = await createSandbox({ project: { share: "manual" } })
  // Published on the bare runtime while the project allowed it: the app must offer to revoke it.
  publishedID = (
    await sandbox.prompt("Draft the release notes", [turn.text("Here is a draft.")], {
      via: "bare",
      args: ["--share", "--title", PUBLISHED_TITLE],
    })
  ).sessionIDs[0]!
  sandbox.writeProjectConfig({ share: "disabled" })
  mainID = (
    await sandbox.prompt(
      "Why does the build fail on CI? Look at build.sh.",
      [
        turn.bash("echo 'make: *** [all] Error 2'", "Run the build"),
        turn.text(
          "The build fails because **make** exits with code 2.\n\nA fix:\n\n```sh\nset -euo pipefail\nmake all\n```\n\n- check the `PATH`\n- re-run with `-j1`",
          "The user wants the cause of a CI failure; the build output shows make failing.",
        ),
      ],
      { args: ["--title", MAIN_TITLE] },
    )
  ).sessionIDs[0]!
  xssID = (await sandbox.prompt(XSS_USER, [turn.text(XSS_ANSWER)], { args: ["--title", XSS_TITLE] })).sessionIDs[0]!
  publishesBefore = sandbox.capture.publishes().length
  expect(publishesBefore).toBeGreaterThan(0) // the control: the bare runtime did publish

  await build
  server = await sandbox.serve({ env: EPOCH })
  const answer = await fetch(`${server.url}/overlay/policy`)
  if (!answer.ok || !answer.headers.get("content-type")?.includes("json"))
    throw new Error(`${server.url} is not the overlay's server (GET /overlay/policy answered ${answer.status})`)
  const policy = (await answer.json()) as { mode: string; source: string }
  expect(policy.mode).toBe("disabled")
  bannerText = `Sharing is disabled (source: ${policy.source})`

  browser = await launchBrowser()
  page = browser.page
  await page.addInitScript(() => {
    ;(window as unknown as { __pwned: unknown }).__pwned = "nothing ran"
  })
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
})

afterAll(async () => {
  await browser?.close()
  await sandbox?.dispose()
})

describe("web app: browse, read, export; never publish", () => {
  test("the session list is grouped by project, newest first, and searchable by title or directory", async () => {
    await openApp(page)
    await page.getByRole("heading", { name: "Pick a session" }).waitFor()
    const nav = page.getByRole("navigation", { name: "Sessions" })
    await nav.getByRole("link").nth(2).waitFor()
    expect(await sessionTitles(page)).toEqual([XSS_TITLE, MAIN_TITLE, PUBLISHED_TITLE])
    expect(await nav.getByRole("heading", { level: 2 }).count()).toBe(1) // one project

    const search = page.getByRole("searchbox", { name: "Search sessions: titles, folders and their text" })
    await search.fill("flaky BUILD")
    await until(async () => (await sessionTitles(page)).join() === MAIN_TITLE, "search by title to leave one session")
    await search.fill(sandbox.project.split("/").at(-2)!) // the sandbox folder: part of every session's directory
    await until(async () => (await sessionTitles(page)).length === 3, "search by directory to find all three")
    await search.fill("no such session anywhere")
    await page.getByText("No session's title or folder matches").waitFor()
    await page.getByText("No session's text holds it.").waitFor()

    // Keyboard: "/" focuses the search, Enter opens the first match.
    await search.fill("")
    await page.locator("body").click()
    await page.keyboard.press("/")
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type("flaky")
    await until(async () => (await sessionTitles(page)).join() === MAIN_TITLE, "the typed search to apply")
    await page.keyboard.press("Enter")
    await page.waitForURL(`**/#/session/${mainID}`)
    await page.getByRole("heading", { level: 1, name: MAIN_TITLE }).waitFor()
    expect(await nav.locator('[aria-current="page"]').innerText()).toContain(MAIN_TITLE)
  })

  test("the search box also finds words in the sessions' text (a tool's output here); a hit opens its session at that message, marked", async () => {
    await openApp(page)
    await page.getByRole("searchbox", { name: "Search sessions: titles, folders and their text" }).fill('"Error 2" make')
    const hits = page.getByRole("region", { name: /In the sessions' text/ })
    const hit = hits.getByRole("link").filter({ hasText: "tool bash" }).first()
    await hit.waitFor()
    expect(await hit.innerText()).toContain(MAIN_TITLE)
    expect(await hit.locator("mark").allInnerTexts()).toEqual(expect.arrayContaining(["make", "Error 2"]))
    await hit.click()
    await page.waitForURL(`**/#/session/${mainID}/message/msg_*`)
    const marked = page.locator(".transcript article.message--hit")
    await marked.waitFor()
    // The call's output is in the message the hit named, opened to show it.
    await marked.getByText("make: *** [all] Error 2").first().waitFor()
    expect(await marked.locator("details.tool").first().evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true)
    expect(await page.locator(".transcript article.message--hit").count()).toBe(1)
  })

  test("the session view renders the Markdown export, with collapsible tool calls and reasoning", async () => {
    await openApp(page, mainID)
    const transcript = page.locator(".transcript")
    await transcript.locator("article.message--assistant").first().waitFor()
    expect(await transcript.locator("article.message--user").innerText()).toContain("Why does the build fail on CI?")
    expect(await transcript.locator("pre code").filter({ hasText: "set -euo pipefail" }).count()).toBe(1)

    const tool = transcript.locator("details.tool").first()
    const summary = tool.locator("summary")
    expect(await summary.innerText()).toContain("bash")
    expect(await summary.innerText()).toContain("completed")
    expect(await tool.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    expect(await tool.locator("pre").first().isVisible()).toBe(false)
    await summary.focus()
    await page.keyboard.press("Enter") // a <summary> is a keyboard control
    await tool.locator("pre").filter({ hasText: "make: *** [all] Error 2" }).last().waitFor()
    await summary.click()
    expect(await tool.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)

    const thinking = transcript.locator("details.thinking")
    expect(await thinking.locator("summary").innerText()).toBe("Thinking")
    await thinking.locator("summary").click()
    await thinking.getByText("the build output shows make failing").waitFor()
  })

  test("Export session log: the Markdown and JSON downloads are byte for byte the CLI's export", async () => {
    await openApp(page, mainID)
    await page.locator(".transcript article.message").first().waitFor()
    for (const choice of [
      { format: "markdown", options: [] as string[], flags: [] as string[] },
      { format: "markdown", options: ["Reasoning", "Tool details", "Diffs"], flags: ["--thinking", "--tool-details", "--diffs"] },
      { format: "json", options: [], flags: [] },
    ] as const) {
      const dialog = await openExportDialog(page)
      await dialog.getByRole("radio", { name: choice.format === "json" ? /JSON/ : /Markdown/ }).check()
      for (const option of choice.options) await dialog.getByRole("checkbox", { name: option }).check()
      const extension = choice.format === "json" ? ".json" : ".md"
      await until(
        () =>
          page.evaluate((ext) => {
            const name = document.querySelector(".preview-name")?.textContent ?? ""
            const download = Array.from(document.querySelectorAll("dialog button")).find((b) => b.textContent?.includes("Download"))
            return name.endsWith(ext) && !!download && !(download as HTMLButtonElement).disabled && !document.querySelector(".preview[data-loading]")
          }, extension),
        `the ${choice.format} preview`,
      )
      const preview = await dialog.getByLabel("Exported file content").textContent()
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        dialog.getByRole("button", { name: choice.format === "json" ? "Download JSON" : "Download Markdown" }).click(),
      ])
      const downloaded = readFileSync((await download.path())!)
      const cli = await sandbox.run(["export", mainID, "--format", choice.format, ...choice.flags, "--stdout"], { env: EPOCH })
      expect(cli.code).toBe(0)
      expect(downloaded.length).toBeGreaterThan(200)
      expect(Buffer.compare(downloaded, Buffer.from(cli.stdout, "utf8"))).toBe(0)
      expect(preview).toBe(downloaded.toString("utf8"))
      if (choice.format === "json") expect(JSON.parse(downloaded.toString("utf8")).session.info.id).toBe(mainID)
      // The server's file name, untouched.
      const answer = await fetch(`${server.url}/overlay/session/${mainID}/export?format=${choice.format}`)
      const disposition = answer.headers.get("content-disposition") ?? ""
      await answer.body?.cancel()
      expect(disposition).toContain(`filename="${download.suggestedFilename()}"`)
      expect(download.suggestedFilename()).toEndWith(extension)

      await page.keyboard.press("Escape")
      await dialog.waitFor({ state: "hidden" })
    }
  })

  test("no element anywhere has text or an accessible name about sharing, but the policy banner", async () => {
    await openApp(page) // the list alone
    await page.getByRole("heading", { name: "Pick a session" }).waitFor()
    const banner = page.getByRole("region", { name: "Publishing policy" })
    expect((await banner.locator(".policy-state").textContent())?.trim()).toBe(bannerText)
    await expectNoShareWording(page, "list")
    for (const id of [mainID, publishedID, xssID]) {
      await openApp(page, id)
      await page.locator(".transcript article.message").first().waitFor()
      const expand = page.getByRole("button", { name: "Expand tool calls" })
      if (id === mainID) await expand.click() // open every tool call: hidden text is checked anyway, shown text too
      else expect(await expand.count()).toBe(0) // no tool calls, nothing to expand
      await expectNoShareWording(page, `session ${id}`)
    }
    await openApp(page, mainID)
    await page.locator(".transcript article.message").first().waitFor()
    const dialog = await openExportDialog(page)
    await dialog.getByLabel("Exported file content").filter({ hasText: "# " }).waitFor()
    await expectNoShareWording(page, "export dialog")
    await page.keyboard.press("Escape")
    await dialog.waitFor({ state: "hidden" })
  })

  test("session text with <script> and <img onerror> is shown as text and runs nothing", async () => {
    await openApp(page, xssID)
    const transcript = page.locator(".transcript")
    await transcript.locator("article.message--assistant").waitFor()
    const text = await transcript.innerText()
    expect(text).toContain(`<script>window.__pwned = "user script"</script>`)
    expect(text).toContain(`<img src=x onerror="window.__pwned = 'user img'">`)
    expect(text).toContain(`<img src=x onerror="window.__pwned = 'answer img'">`)
    expect(text).toContain(`<script>window.__pwned = "answer script"</script>`)
    expect(await transcript.locator("script, img, iframe, object, embed, [onerror], [onload], [style]").count()).toBe(0)

    // The export preview shows the file as text too.
    const dialog = await openExportDialog(page)
    await dialog.getByLabel("Exported file content").filter({ hasText: "answer script" }).waitFor()
    await page.keyboard.press("Escape")
    await dialog.waitFor({ state: "hidden" })

    expect(await page.evaluate(() => (window as unknown as { __pwned: unknown }).__pwned)).toBe("nothing ran")
    expect(dialogs).toEqual([])
    expect(browser.errors.filter((e) => e.startsWith("pageerror"))).toEqual([])
  })

  test("a session published before is flagged, and its public link can be revoked from the app", async () => {
    await openApp(page)
    const entry = page.getByRole("navigation", { name: "Sessions" }).getByRole("listitem").filter({ hasText: PUBLISHED_TITLE })
    await entry.getByText("Public copy online").waitFor()
    await entry.getByRole("link").click()
    await page.waitForURL(`**/#/session/${publishedID}`)
    const notice = page.getByRole("note").filter({ hasText: "This session was published before." })
    expect(await notice.innerText()).toContain(sandbox.capture.url)
    const revocations = () => sandbox.capture.requests.filter((r) => r.method === "DELETE").length
    expect(revocations()).toBe(0)
    await notice.getByRole("button", { name: /^Revoke public link/ }).click()
    await page.getByRole("status").filter({ hasText: "Public link revoked" }).waitFor()
    await until(() => revocations() === 1, "the share host to see the revocation")
    await entry.getByText("Published before").waitFor()
    expect(await page.getByRole("button", { name: /^Revoke public link/ }).count()).toBe(0)
  })

  test("the open session follows the runtime's events: a new answer appears without a reload", async () => {
    await openApp(page, mainID)
    await page.locator(".transcript article.message").first().waitFor()
    await page.locator(".live--on").waitFor() // the event stream is connected
    const marker = "Live answer 7f3a: the fix is in."
    sandbox.llm.script(turn.text(marker))
    const started = await fetch(`${server.url}/session/${mainID}/prompt_async`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: [{ type: "text", text: "Is it fixed now?" }], model: { providerID: "mock", modelID: "mock-model" } }),
    })
    expect(started.status).toBeLessThan(300)
    await page.locator(".transcript").getByText(marker).waitFor({ timeout: 60_000 })
    expect(await page.locator(".transcript").getByText("Is it fixed now?").count()).toBe(1)
  })

  test("POST /session/:id/share answers 403 through the overlay, from the page too, and the share host sees nothing", async () => {
    const direct = await fetch(`${server.url}/session/${mainID}/share`, { method: "POST" })
    expect(direct.status).toBe(403)
    expect(((await direct.json()) as { error: string }).error).toBe("share_disabled")
    await openApp(page)
    const fromPage = await page.evaluate(async (id) => {
      const r = await fetch(`/session/${id}/share`, { method: "POST" })
      return { status: r.status, body: (await r.json()) as { error: string } }
    }, mainID)
    expect(fromPage.status).toBe(403)
    expect(fromPage.body.error).toBe("share_disabled")
    // Everything since setup (browsing, exports, a new turn, the share attempts): nothing published.
    expect(sandbox.capture.publishes().length).toBe(publishesBefore)
  })

  test("screenshots of the session view (test artifact, and the README's)", async () => {
    await openApp(page, mainID)
    await page.locator(".transcript article.message--assistant").first().waitFor()
    const tool = page.locator(".transcript details.tool").first()
    await tool.locator("summary").click()
    await tool.locator("pre").last().waitFor()
    await page.locator(".transcript details.thinking summary").first().click()
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    mkdirSync(ARTIFACTS, { recursive: true })
    const shot = await page.screenshot({ path: join(ARTIFACTS, "app-session.png"), animations: "disabled" })
    // The README's copy is written when missing or asked for, so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(DOCS, "app-session.png"))) {
      mkdirSync(DOCS, { recursive: true })
      await Bun.write(join(DOCS, "app-session.png"), shot)
    }
    const dialog = await openExportDialog(page)
    await dialog.getByLabel("Exported file content").filter({ hasText: "# " }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS, "app-export.png"), animations: "disabled" })
    await page.keyboard.press("Escape")
    expect(shot.length).toBeGreaterThan(10_000)
    expect(browser.errors.filter((e) => e.startsWith("pageerror") || /Content Security Policy/i.test(e))).toEqual([])
  })
})

/** A fresh load of the app (a new document: no state from the previous test), on a session when given. */
async function openApp(page: Page, sessionID?: string): Promise<void> {
  await page.goto("about:blank")
  await page.goto(sessionID ? `${server.url}/logs/#/session/${encodeURIComponent(sessionID)}` : `${server.url}/logs/`)
}

/** Titles in the session list, top to bottom. */
async function sessionTitles(page: Page): Promise<string[]> {
  return page.locator(".session-list .session-title").allInnerTexts()
}

async function openExportDialog(page: Page) {
  await page.getByRole("button", { name: /Export session log/ }).click()
  const dialog = page.getByRole("dialog", { name: /Export session log/ })
  await dialog.waitFor()
  return dialog
}

/**
 * Nothing in the page may name sharing, shown or hidden, in text or in an
 * attribute a person or a screen reader meets, except the policy banner's
 * exact wording; and the accessibility tree says the same.
 */
async function expectNoShareWording(page: Page, where: string): Promise<void> {
  const found = await page.evaluate((allowed) => {
    const hits: string[] = []
    let banner = 0
    const check = (value: string, what: string) => {
      const rest = value.split(allowed).join("")
      if (/share/i.test(rest)) hits.push(`${what}: ${value.slice(0, 200)}`)
    }
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT)
    for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        const value = node.nodeValue ?? ""
        if (value.includes(allowed)) {
          banner++
          if (!(node.parentElement?.closest("[aria-label='Publishing policy']") && value.trim() === allowed)) hits.push(`banner wording outside the banner: ${value}`)
        }
        check(value, `text in <${node.parentElement?.tagName.toLowerCase()}>`)
        continue
      }
      const el = node as Element
      for (const attr of Array.from(el.attributes)) check(`${attr.name}=${attr.value}`, `attribute of <${el.tagName.toLowerCase()}>`)
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) check(el.value, `value of <${el.tagName.toLowerCase()}>`)
    }
    if (banner !== 1) hits.push(`the banner wording appears ${banner} times`)
    return hits
  }, bannerText)
  expect({ where, found }).toEqual({ where, found: [] })
  const tree = await page.locator("body").ariaSnapshot()
  const named = tree
    .split("\n")
    .map((line) => line.split(bannerText).join(""))
    .filter((line) => /share/i.test(line))
  expect({ where, named }).toEqual({ where, named: [] })
  expect(tree).toContain(bannerText)
}

/** Polls `check` (no fixed sleeps) until it holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}
