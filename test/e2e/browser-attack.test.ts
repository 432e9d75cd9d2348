/**
 * A hostile page in a real browser against the overlay's server (Chromium,
 * the real runtime behind `opencode serve`, no password):
 *
 * - DNS rebinding, for real: Chromium resolves `attacker.test` to 127.0.0.1
 *   (`--host-resolver-rules`). The attacker's page is first served from the
 *   attacker's own server (the document is handed to the browser before the
 *   rebinding); its script then asks "its own" origin, `attacker.test:<the
 *   overlay's port>`, which now reaches the overlay.
 * - A page on another loopback port (any local dev server) asking the
 *   overlay cross-origin: reads, a JSON-less `text/plain` POST, a form post.
 *
 * - A file of the project with a script in it (an SVG of a cloned repository),
 *   which the runtime serves as it is (`/api/fs/read/<path>`): opened by a
 *   link from another site, or from the app, as a document of the server's
 *   own origin.
 *
 * - A link opened from outside the browser (a mail, a chat) that another site
 *   redirects to a folder the runtime does not know.
 * - A server on a network address (plain HTTP, with a password), where the
 *   browser sends no Fetch Metadata: a link from another site naming a folder.
 *
 * None may read session data, start a session or run a command. Controls: the
 * same script run in the overlay's own page does both, the page on another
 * port does both against the bare runtime's server (which lets every loopback
 * origin in), and the SVG opened from the bare runtime runs its command.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { networkInterfaces } from "node:os"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { buildAppIfStale } from "../support/app-build.ts"
import { launchBrowser, type Browser } from "../support/browser.ts"
import { turn } from "../support/mock-llm.ts"
import { testWithEvidence } from "../support/artifacts.ts"
import { createSandbox, type Sandbox, type Server } from "../support/sandbox.ts"

setDefaultTimeout(120_000)

const ATTACKER = "attacker.test"

let sandbox: Sandbox
let server: Server
let port: number
let sessionID: string
let browser: Browser
/** A page server on another loopback port: the attacker's page there. */
let elsewhere: { url: string; stop: () => void }
const test = testWithEvidence(import.meta.path, () => ({ page: browser?.page, sandbox }))

type Attempt = { readonly status?: number; readonly text?: string; readonly error?: string }
type Results = Readonly<Record<string, Attempt>>

/**
 * What the attacker's script does, from a page whose origin is `location`:
 * read sessions, config and the overlay's list, create a session with a JSON
 * body and with a `text/plain` one (a "simple" request, sent without asking
 * first), and once more with `no-cors`, whose answer it cannot see but which
 * the browser sends all the same.
 */
async function attack(page: Page, base: string): Promise<Results> {
  return page.evaluate(async (base) => {
    const out: Record<string, { status?: number; text?: string; error?: string }> = {}
    const attempt = async (name: string, url: string, init?: RequestInit) => {
      try {
        const response = await fetch(url, init)
        out[name] = { status: response.status, text: (await response.text()).slice(0, 4000) }
      } catch (error) {
        out[name] = { error: String(error) }
      }
    }
    await attempt("sessions", `${base}/session`)
    await attempt("overlay", `${base}/overlay/sessions`)
    await attempt("config", `${base}/config`)
    await attempt("create", `${base}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
    await attempt("createPlain", `${base}/session`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })
    await attempt("createNoCors", `${base}/session`, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: "{}" })
    return out
  }, base)
}

/** A classic form post into a hidden frame (`text/plain`, so the body is `{"a":"="}`), waited for until the frame loads. */
async function formPost(page: Page, action: string): Promise<void> {
  await page.evaluate(
    (action) =>
      new Promise<void>((resolve) => {
        const frame = document.createElement("iframe")
        frame.name = "sink"
        frame.addEventListener("load", () => resolve(), { once: true })
        document.body.append(frame)
        const form = document.createElement("form")
        form.method = "POST"
        form.action = action
        form.enctype = "text/plain"
        form.target = "sink"
        const input = document.createElement("input")
        input.name = '{"a":"'
        input.value = '"}'
        form.append(input)
        document.body.append(form)
        form.submit()
      }),
    action,
  )
}

const ATTACK_PAGE = `<!doctype html><meta charset="utf-8"><title>A page you opened</title><p>Nothing to see here.</p>`

let bareRuntime: Promise<number> | undefined
/** The runtime's own server, without the overlay (started once, on first use): the controls' target. */
const bareRuntimePort = () => (bareRuntime ??= sandbox.serve({ via: "bare" }).then((bare) => Number(new URL(bare.url).port)))

/**
 * Waits (up to a minute) for the file a control's command makes. Once it is there, the attacks tried
 * before it would have made theirs too, had they run at all: that bounds the checks of their absence.
 */
async function appears(path: string): Promise<boolean> {
  const deadline = Date.now() + 60_000
  while (!existsSync(path) && Date.now() < deadline) await Bun.sleep(100)
  return existsSync(path)
}

/** The bare runtime's answers to the attacker's script: it reads the session and starts sessions. */
function expectReadAndCreated(results: Results): void {
  expect(results.sessions?.status).toBe(200)
  expect(results.sessions?.text).toContain(sessionID)
  expect(results.createPlain?.status).toBe(200)
}

/** The attacker's page at `origin`, as its own server handed it to the browser (before the name was rebound). */
async function openAttackPage(page: Page, origin: string): Promise<void> {
  await page.route(`${origin}/innocent.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: ATTACK_PAGE }))
  await page.goto(`${origin}/innocent.html`)
}

beforeAll(async () => {
  await buildAppIfStale()
  sandbox = await createSandbox()
  sessionID = (await sandbox.prompt("a private session", [turn.bash("echo private words"), turn.text("Private answer.")])).sessionIDs[0]!
  server = await sandbox.serve()
  port = Number(new URL(server.url).port)
  const page = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(ATTACK_PAGE, { headers: { "content-type": "text/html" } }) })
  elsewhere = { url: `http://127.0.0.1:${page.port}`, stop: () => page.stop(true) }
  browser = await launchBrowser({
    args: [
      `--host-resolver-rules=MAP ${ATTACKER} 127.0.0.1`,
      // Chromium's own Local Network Access check would stop the rebound page's requests before they are sent
      // (a page it saw come from elsewhere asking a loopback address); other browsers have none, and Chromium asks
      // the user, who may allow it. Off here, so that what stops the attack is the overlay's server.
      "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests",
    ],
  })
})

afterAll(async () => {
  await browser?.close()
  elsewhere?.stop()
  await sandbox?.dispose()
})

describe("a hostile page in Chromium", () => {
  test("a rebound name: the overlay does not serve its app there, and the page's script reads nothing and starts no session", async () => {
    const { page } = browser
    // The name now resolves to this machine: opened directly, the overlay refuses it.
    const direct = await page.goto(`http://${ATTACKER}:${port}/`)
    expect(direct?.status()).toBe(421)
    expect(await page.textContent("body")).toContain("host_not_allowed")

    // The attacker's page, served before the rebinding; everything after it goes to 127.0.0.1.
    const origin = `http://${ATTACKER}:${port}`
    await openAttackPage(page, origin)
    const before = sandbox.sessionIDs().length
    const results = await attack(page, "")
    for (const [name, result] of Object.entries(results)) {
      if (name === "createNoCors") continue // opaque: the database below says what it did
      expect([name, result.status, result.error]).toEqual([name, 421, undefined])
      expect(result.text).not.toContain(sessionID)
      expect(result.text).not.toContain("mock-key")
    }
    await formPost(page, `${origin}/session`)
    expect(sandbox.sessionIDs().length).toBe(before)

    // The controls: the same script in the overlay's own page reads the session and starts sessions; and the
    // same rebound page in front of the bare runtime's server (which answers any Host) does too.
    await page.goto(`${server.url}/logs/`)
    const own = await attack(page, "")
    expect(own.sessions?.status).toBe(200)
    expect(own.sessions?.text).toContain(sessionID)
    expect(own.config?.text).toContain("mock-key")
    expect(own.create?.status).toBe(200)
    const afterOwn = sandbox.sessionIDs().length
    expect(afterOwn).toBeGreaterThan(before)
    const bareOrigin = `http://${ATTACKER}:${await bareRuntimePort()}`
    await openAttackPage(page, bareOrigin)
    expectReadAndCreated(await attack(page, ""))
    expect(sandbox.sessionIDs().length).toBeGreaterThan(afterOwn)
  })

  test("a page on another loopback port: nothing read, no session started; against the bare runtime the same page does both (the control)", async () => {
    const { page } = browser
    await page.goto(`${elsewhere.url}/`)
    const before = sandbox.sessionIDs().length
    const results = await attack(page, server.url)
    for (const [name, result] of Object.entries(results)) {
      if (name === "createNoCors") continue
      // The browser hides the 403 from the page (no CORS header): it sees a failed fetch, never the data.
      expect([name, result.text ?? ""]).not.toEqual([name, expect.stringContaining(sessionID)])
      expect(result.status === undefined || result.status === 403).toBe(true)
    }
    await formPost(page, `${server.url}/session`)
    // An image or a script another site points at the server (no Origin header, only Fetch Metadata).
    const loaded = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const script = document.createElement("script")
          script.src = src
          script.onload = () => resolve("loaded")
          script.onerror = () => resolve("refused")
          document.body.append(script)
        }),
      `${server.url}/session`,
    )
    expect(loaded).toBe("refused")
    expect(sandbox.sessionIDs().length).toBe(before)

    const barePort = await bareRuntimePort()
    expectReadAndCreated(await attack(page, `http://127.0.0.1:${barePort}`))
    expect(sandbox.sessionIDs().length).toBeGreaterThan(before)
  })

  test("a project's SVG with a script: refused to a link from another site, sandboxed when opened here; the bare runtime runs it (the control)", async () => {
    const { page } = browser
    /** An SVG whose script runs a shell command through the API of the origin it is opened in. */
    const plant = (name: string) => {
      const marker = join(sandbox.root, `svg-ran-${name}`)
      const body = JSON.stringify({ agent: "build", command: `touch ${marker}` })
      writeFileSync(
        join(sandbox.project, `${name}.svg`),
        `<svg xmlns="http://www.w3.org/2000/svg"><script>//<![CDATA[\nfetch("/session/${sessionID}/shell", { method: "POST", headers: { "content-type": "application/json" }, body: ${JSON.stringify(body)} })\n//]]></script></svg>`,
      )
      return marker
    }
    // A link from a page of another site (attacker.test, on another port) to the file through the overlay.
    const linked = plant("linked")
    const attackerPage = `http://${ATTACKER}:${new URL(elsewhere.url).port}/`
    await page.goto(attackerPage)
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().includes("/api/fs/read/linked.svg")), page.evaluate((url) => (location.href = url), `${server.url}/api/fs/read/linked.svg`)])
    expect(answer.status()).toBe(403)
    // The refusal is the page now shown (the navigation committed), before the next one starts.
    await page.waitForURL(`${server.url}/api/fs/read/linked.svg`, { waitUntil: "load" })
    expect(await page.textContent("body")).toContain("A link from another site")

    // Opened from this server itself (an address typed, a link in the app): shown, its script not run.
    const opened = plant("opened")
    const direct = await page.goto(`${server.url}/api/fs/read/opened.svg`)
    expect(direct?.status()).toBe(200)
    expect(direct?.headers()["content-security-policy"]).toStartWith("sandbox;")

    // The control: the same file opened from the bare runtime's server runs its command. Once it has, the two
    // opened before would have run theirs too, had they run at all.
    const control = plant("control")
    await page.goto(`http://127.0.0.1:${await bareRuntimePort()}/api/fs/read/control.svg`)
    expect(await appears(control)).toBe(true)
    expect([existsSync(linked), existsSync(opened)]).toEqual([false, false])
  })

  test("a link from another site naming a folder (the app's path, or ?directory=) makes the runtime load nothing from it; the bare runtime runs the folder's MCP command (the control)", async () => {
    const { page } = browser
    /** A folder inside the project whose opencode.json starts a local MCP server: a command that leaves a file. */
    const plantFolder = (name: string) => {
      const folder = join(sandbox.project, "node_modules", name)
      const marker = join(sandbox.root, `loaded-${name}`)
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, "opencode.json"), JSON.stringify({ mcp: { evil: { type: "local", command: ["sh", "-c", `touch ${marker}`] } } }))
      return { folder: `node_modules/${name}`, marker }
    }
    const appPath = (folder: string) => `/${Buffer.from(folder).toString("base64url")}/session`
    const attackerPage = `http://${ATTACKER}:${new URL(elsewhere.url).port}/`
    const follow = async (url: string) => {
      await page.goto(attackerPage)
      await Promise.all([page.waitForURL(url, { waitUntil: "load" }), page.evaluate((to) => (location.href = to), url)])
    }
    const viaApp = plantFolder("evilpkg")
    await follow(`${server.url}${appPath(viaApp.folder)}`)
    expect(await page.textContent("body")).toContain("A link from another site")
    const viaQuery = plantFolder("evilquery")
    await follow(`${server.url}/mcp?directory=${encodeURIComponent(viaQuery.folder)}`)
    expect(await page.textContent("body")).toContain("A link from another site")
    // Its one link leads to the start page, as a navigation of this origin, which opens.
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole("link", { name: "Open OpenCode's start page" }).click()])
    // The control: the same two links to the bare runtime's server make it load both folders and run their commands.
    const bare = `http://127.0.0.1:${await bareRuntimePort()}`
    const control = plantFolder("evilcontrol")
    await follow(`${bare}${appPath(control.folder)}`)
    expect(await appears(control.marker)).toBe(true)
    // By now the overlay's two would have run too, had the runtime seen them.
    expect([existsSync(viaApp.marker), existsSync(viaQuery.marker)]).toEqual([false, false])
  })
})

/** A folder of downloads (absolute, as the server requires) whose opencode.json starts a local MCP server: a command that leaves a file. */
function plantDownload(name: string): { folder: string; marker: string } {
  const folder = join(sandbox.root, "downloads", name)
  const marker = join(sandbox.root, `loaded-${name}`)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, "opencode.json"), JSON.stringify({ mcp: { evil: { type: "local", command: ["sh", "-c", `touch ${marker}`] } } }))
  return { folder, marker }
}

describe("a link opened from outside the browser", () => {
  test("another site redirecting it to a folder the runtime does not know opens nothing (the browser says `none` through the redirect); the bare runtime runs the folder's MCP command (the control)", async () => {
    const { page } = browser
    // The attacker's site: whatever it is asked, it sends the browser on to `?to=`.
    const redirector = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => Response.redirect(new URL(request.url).searchParams.get("to")!, 302) })
    try {
      /** What a link in a mail or a chat does: the browser opens it as the user's own navigation. */
      const openFromOutside = async (target: string) => {
        const link = `http://127.0.0.1:${redirector.port}/offer?to=${encodeURIComponent(target)}`
        const [answer] = await Promise.all([page.waitForResponse((r) => r.url() === target), page.goto(link)])
        return answer
      }
      const target = plantDownload("mailed")
      const answer = await openFromOutside(`${server.url}/mcp?directory=${encodeURIComponent(target.folder)}`)
      expect((await answer.request().allHeaders())["sec-fetch-site"]).toBe("none")
      expect(answer.status()).toBe(403)
      expect(await page.textContent("body")).toContain("A link to a folder OpenCode does not know")
      // The user's own project, opened the same way (a bookmark), opens.
      expect((await openFromOutside(`${server.url}/${Buffer.from(sandbox.project).toString("base64url")}/session`)).status()).toBe(200)
      // The control: the same link to the bare runtime's server loads the folder and runs its command.
      const control = plantDownload("mailed-control")
      await openFromOutside(`http://127.0.0.1:${await bareRuntimePort()}/mcp?directory=${encodeURIComponent(control.folder)}`)
      expect(await appears(control.marker)).toBe(true)
      expect(existsSync(target.marker)).toBe(false)
    } finally {
      redirector.stop(true)
    }
  })
})

/** The machine's first IPv4 address that is not loopback: a browser sends no Fetch Metadata to it over plain HTTP. */
function networkAddress(): string {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address
  throw new Error("this machine has no network address but loopback: the test needs one, as a server on the network has")
}

describe("a server on a network address (plain HTTP, with a password)", () => {
  test("a link from another site to it opens no folder, and the browser is told how to come safely; the bare runtime there runs the folder's MCP command (the control)", async () => {
    const address = networkAddress()
    const password = "lan-pass-3141"
    const credentials = { env: { OPENCODE_SERVER_PASSWORD: password }, args: ["--hostname", address] }
    const overlay = await sandbox.serve(credentials)
    const bare = await sandbox.serve({ ...credentials, via: "bare" })
    expect(new URL(overlay.url).hostname).toBe(address)
    // A user who signed in to both servers once: the browser answers their password challenge.
    const signedIn = await launchBrowser({ httpCredentials: { username: "opencode", password } })
    try {
      const { page } = signedIn
      const follow = async (url: string) => {
        await page.goto(`${elsewhere.url}/`)
        const [answer] = await Promise.all([page.waitForResponse((r) => r.url() === url), page.evaluate((to) => (location.href = to), url)])
        await page.waitForURL(url, { waitUntil: "load" })
        return answer
      }
      const target = plantDownload("evil")
      const answer = await follow(`${overlay.url}/mcp?directory=${encodeURIComponent(target.folder)}`)
      expect(answer.status()).toBe(403)
      // No Fetch Metadata arrived: this is the check that refused it, not the one for links from other sites.
      expect((await answer.request().allHeaders())["sec-fetch-site"]).toBeUndefined()
      expect(await page.textContent("body")).toContain("Not over plain HTTP")
      expect(await page.textContent("body")).toContain("SSH tunnel")
      // The control: the same link to the bare runtime's server at the same address loads the folder and runs its command.
      const control = plantDownload("control")
      expect((await follow(`${bare.url}/mcp?directory=${encodeURIComponent(control.folder)}`)).status()).toBe(200)
      expect(await appears(control.marker)).toBe(true)
      // By now the overlay's would have run too, had the runtime seen it.
      expect(existsSync(target.marker)).toBe(false)
      // Clients that are not browsers are served there as before.
      const auth = { authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}` }
      expect((await fetch(`${overlay.url}/overlay/policy`, { headers: auth })).status).toBe(200)
      // And the server said so when it started.
      await overlay.stop()
      expect(await new Response(overlay.process.stderr).text()).toContain(`Browsers are not served at ${overlay.url}`)
    } finally {
      await signedIn.close()
      await overlay.stop()
      await bare.stop()
    }
  })
})
