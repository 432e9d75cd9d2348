/**
 * Members sign in with OpenID Connect, as a team would set it up: a real
 * issuer (`oidc-provider`, its own process), the share server with
 * `--oidc-*` and one allowed e-mail domain, Chromium for the browser. A link
 * opened without signing in sends the browser to sign in and back; an API
 * client gets 401; a member of another domain reads nothing; `opencode share
 * login` without a token gets one through the browser, and that home then
 * imports the share.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { launchBrowser, type Browser } from "../support/browser.ts"
import { turn } from "../support/mock-llm.ts"
import { freePort, startIssuer, type RunningIssuer } from "../support/oidc-issuer.ts"
import { readUntil } from "../support/read-until.ts"
import { createSandbox, REPO_ROOT, type Sandbox } from "../support/sandbox.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../support/share-server.ts"

setDefaultTimeout(180_000)

const CLIENT_ID = "opencode-share-server"
const CLIENT_SECRET = "test-client-secret-of-the-share-server"

let sandbox: Sandbox
let issuer: RunningIssuer
let server: RunningShareServer
let browser: Browser
let link: string
let sessionID: string

/** Signs in at the test issuer's page (its development form: any password; the login is the e-mail), and consents. */
async function signInAtIssuer(page: Browser["page"], email: string) {
  await page.waitForSelector('input[name="login"]')
  await page.fill('input[name="login"]', email)
  await page.fill('input[name="password"]', "any password")
  await page.click('button[type="submit"]')
  // The consent page ("Continue"), the first time this client asks.
  const consent = await page.waitForSelector('button[type="submit"]', { timeout: 10_000 }).catch(() => undefined)
  if (consent && page.url().startsWith(issuer.url)) await consent.click()
}

beforeAll(async () => {
  sandbox = await createSandbox({ project: { share: "manual" } })
  const serverPort = freePort()
  const issuerPort = freePort()
  issuer = await startIssuer({ port: issuerPort, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `http://127.0.0.1:${serverPort}/auth/callback` })
  server = await startShareServer(
    sandbox,
    ["--hostname", "127.0.0.1", "--allow-email-domain", "example.com", "--oidc-issuer", issuer.url, "--oidc-client-id", CLIENT_ID, "--oidc-client-secret", CLIENT_SECRET],
    serverPort,
  )
  // A share to read: published by a member with an administrator's token, through the overlay.
  const token = await memberToken(sandbox, "ada@example.com")
  sandbox.writeProjectConfig({ share: "manual", enterprise: { url: server.url } })
  expect((await sandbox.run(["share", "login", server.url, "--token", token])).code).toBe(0)
  const made = await sandbox.prompt("Explain the outage", [
    turn.bash('grep -n "expired" logs/cache.log; echo "deploy key ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"', "Read the cache log"),
    turn.text("The cache expired at noon."),
  ])
  sessionID = made.sessionIDs[0]!
  const shared = await sandbox.run(["share", sessionID])
  expect(shared.code).toBe(0)
  link = shared.stdout.trim()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await issuer?.stop()
  await sandbox?.dispose()
})

describe("signing in to the team share server", () => {
  test("an API client without credentials gets 401; a browser is sent to sign in (302)", async () => {
    const api = await fetch(link, { redirect: "manual" })
    expect(api.status).toBe(401)
    const page = await fetch(link, { redirect: "manual", headers: { accept: "text/html" } })
    expect(page.status).toBe(302)
    expect(page.headers.get("location")).toBe(`/auth/login?next=${encodeURIComponent(new URL(link).pathname)}`)
    const login = await fetch(`${server.url}${page.headers.get("location")}`, { redirect: "manual" })
    expect(login.status).toBe(302)
    expect(login.headers.get("location")).toStartWith(`${issuer.url}/auth?`)
  })

  /**
   * Signs in as `email` in a browser of its own and expects the refusal `says`, no session cookie, and still nothing to
   * read: the link sends the browser to sign in again (the issuer remembers the account and answers at once), and the
   * answer is the same refusal.
   */
  async function expectRefused(email: string, says: string) {
    const context = await browser.context.browser()!.newContext()
    try {
      const page = await context.newPage()
      await page.goto(link)
      await signInAtIssuer(page, email)
      await page.waitForURL((url) => url.href.startsWith(server.url))
      expect(await page.textContent("body")).toContain(says)
      expect((await context.cookies(server.url)).map((c) => c.name)).not.toContain("ocs_session")
      const again = await page.goto(link)
      expect(again?.status()).toBe(403)
      expect(await page.textContent("body")).not.toContain("The cache expired at noon.")
    } finally {
      await context.close()
    }
  }

  test("a member of another domain signs in and reads nothing", async () => {
    await expectRefused("eve@other.org", "eve@other.org is not of the domain this server's members have.")
  })

  test("an e-mail of the members' domain the provider does not say it verified is refused, and reads nothing", async () => {
    await expectRefused("unverified.ada@example.com", "no verified e-mail address")
  })

  test("a member signs in and reads the share; the session cookie reads, it cannot write", async () => {
    const page = browser.page
    await page.goto(link)
    await signInAtIssuer(page, "ada@example.com")
    await page.waitForURL(link)
    expect(await page.textContent("body")).toContain("The cache expired at noon.")
    // The README's picture of a shared page, made where it is missing (or asked for).
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(REPO_ROOT, "docs", "team-share.png")))
      await page.screenshot({ path: join(REPO_ROOT, "docs", "team-share.png"), animations: "disabled" })
    const cookies = await browser.context.cookies(server.url)
    const session = cookies.find((c) => c.name === "ocs_session")!
    expect(session.httpOnly).toBe(true)
    // The control: with the cookie, a read passes…
    const read = await fetch(`${server.url}/api/share/${new URL(link).pathname.split("/").pop()}/data`, { headers: { cookie: `ocs_session=${session.value}` } })
    expect(read.status).toBe(200)
    // …and a write does not: it needs a member token.
    const write = await fetch(`${server.url}/api/share`, { method: "POST", headers: { cookie: `ocs_session=${session.value}`, "content-type": "application/json" }, body: JSON.stringify({ sessionID }) })
    expect(write.status).toBe(401)
  })

  test("opencode share login without a token: the browser allows it, and that home imports the share", async () => {
    await using other = await createSandbox()
    const login = Bun.spawn(other.command(["share", "login", server.url, "--no-browser"]), {
      cwd: other.project,
      env: other.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    })
    const stdout = new Response(login.stdout).text()
    const reader = login.stderr.getReader()
    // The address printed whole (its line ended), not a chunk cut inside it.
    const { match, seen: said } = await readUntil(reader, /(http:\/\/\S+\/auth\/cli\?\S+)\n/)
    const address = match?.[1]
    expect(address).toBeDefined()
    const code = /shows the code ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(said)?.[1]
    expect(code).toBeDefined()
    // The browser (signed in by the test above, or now) allows it.
    const page = browser.page
    await page.goto(address!)
    if (page.url().startsWith(issuer.url)) {
      await signInAtIssuer(page, "ada@example.com")
      await page.waitForURL((url) => url.href.startsWith(`${server.url}/auth/cli`))
    }
    expect(await page.textContent("body")).toContain("ada@example.com")
    // The page shows the terminal's code; a link with another state (someone else's) shows another.
    expect(await page.textContent("#code")).toBe(code!)
    const foreign = new URL(address!)
    foreign.searchParams.set("state", "someone-elses-state-0123456789")
    const elsewhere = await browser.context.newPage()
    await elsewhere.goto(foreign.href)
    expect(await elsewhere.textContent("#code")).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    expect(await elsewhere.textContent("#code")).not.toBe(code!)
    await elsewhere.close()
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => url.href.startsWith("http://127.0.0.1:") && url.pathname === "/callback", { timeout: 10_000 }).catch(async (e) => {
      login.kill()
      let rest = ""
      for (let next = await reader.read(); !next.done; next = await reader.read()) rest += new TextDecoder().decode(next.value)
      throw new Error(`${e}: ${page.url()} exit ${login.exitCode} ${said}${rest}`)
    })
    expect(await page.textContent("body")).toContain("Signed in")
    expect(await login.exited).toBe(0)
    expect(await stdout).toContain(`Signed in to ${server.url} as ada@example.com (members only)`)
    const imported = await other.run(["import", link])
    expect([imported.code, imported.stdout]).toEqual([0, `${sessionID}\n`])
  })
})
