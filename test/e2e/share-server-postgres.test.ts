/**
 * Two instances of the team share server on one real PostgreSQL server, as a
 * team runs them behind a load balancer: started together (their tables made
 * once, under the lock), a member publishing through the overlay to one and
 * reading from the other, a page open on the other following a new turn
 * (LISTEN/NOTIFY, in Chromium), rate limits counted across both, a revoke on
 * one seen by the other, and no secret in the database.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import postgres from "postgres"
import { launchBrowser, type Browser } from "../support/browser.ts"
import { turn } from "../support/mock-llm.ts"
import { startPostgres, type RunningPostgres } from "../support/postgres.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../support/share-server.ts"

setDefaultTimeout(180_000)

const TOKEN = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"

let sandbox: Sandbox
let pg: RunningPostgres
let a: RunningShareServer
let b: RunningShareServer
let token: string
let sessionID: string
let slug: string

const read = (server: RunningShareServer, path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })

beforeAll(async () => {
  sandbox = await createSandbox({ project: { share: "manual" } })
  pg = await startPostgres()
  // Both at once: each creates the tables if they are missing, one after the other under the advisory lock.
  ;[a, b] = await Promise.all([
    startShareServer(sandbox, ["--database", pg.url, "--rate-limit", "40"]),
    startShareServer(sandbox, ["--database", pg.url, "--rate-limit", "40"]),
  ])
  token = await memberToken(sandbox, "ada@example.com", ["--database", pg.url])
  sandbox.writeProjectConfig({ share: "manual", enterprise: { url: a.url } })
  expect((await sandbox.run(["share", "login", a.url, "--token", token])).code).toBe(0)
  const made = await sandbox.prompt("Check the deploy", [turn.bash(`echo "deploy key ${TOKEN}"`, "Look"), turn.text("First turn, via instance A.")])
  sessionID = made.sessionIDs[0]!
  const shared = await sandbox.run(["share", sessionID])
  expect(shared.code).toBe(0)
  slug = shared.stdout.trim().split("/").pop()!
})

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await pg?.stop()
  await sandbox?.dispose()
})

describe("two share server instances on one PostgreSQL", () => {
  test("published through one, read from the other; the token redacted in the database (the control: the runtime's has it)", async () => {
    const fromB = await read(b, `/api/share/${slug}/data`)
    expect(fromB.status).toBe(200)
    const text = await fromB.text()
    expect(text).toContain("First turn, via instance A.")
    expect(text).not.toContain(TOKEN)
    const sql = postgres(pg.url)
    try {
      const rows = await sql<{ data: string }[]>`select data from item`
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.some((r) => r.data.includes(TOKEN))).toBe(false)
      expect(rows.some((r) => r.data.includes("[REDACTED:github-token]"))).toBe(true)
      // One schema, made once.
      const tables = await sql<{ n: number }[]>`select count(*)::int as n from information_schema.tables where table_name = 'share'`
      expect(tables[0]?.n).toBe(1)
    } finally {
      await sql.end()
    }
    const db = sandbox.database()
    try {
      expect(db.query<{ data: string }, [string]>("select data from part where session_id = ?").all(sessionID).some((p) => p.data.includes(TOKEN))).toBe(true)
    } finally {
      db.close()
    }
  })

  test("a page open on one instance follows a turn published through the other", async () => {
    let browser: Browser | undefined
    try {
      browser = await launchBrowser()
      await browser.context.setExtraHTTPHeaders({ authorization: `Bearer ${token}` })
      const page = browser.page
      await page.goto(`${b.url}/share/${slug}`)
      expect(await page.textContent("body")).toContain("First turn, via instance A.")
      expect(await page.textContent("body")).not.toContain("Second turn")
      // The page listens before the turn is published.
      await page.waitForSelector('html[data-live="on"]', { state: "attached" })
      const more = await sandbox.prompt("Go on", [turn.text("Second turn, also via A.")], { args: ["--session", sessionID] })
      expect(more.code).toBe(0)
      await page.waitForFunction(() => document.body.textContent?.includes("Second turn, also via A."), undefined, { timeout: 30_000 })
      expect(browser.errors).toEqual([])
    } finally {
      await browser?.close()
    }
  })

  test("a member's rate limit counts requests to both instances; a revoke through one is seen by the other", async () => {
    const limited = await memberToken(sandbox, "bob@example.com", ["--database", pg.url])
    const statuses: number[] = []
    for (let i = 0; i < 50; i++) {
      const server = i % 2 === 0 ? a : b
      statuses.push((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${limited}` } })).status)
      if (statuses.at(-1) === 429) break
    }
    // 40 a minute across both (a minute's end may fall inside: then at most twice that; it stops at the first 429).
    expect(statuses.at(-1)).toBe(429)
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(40)

    const revoked = await sandbox.run(["share", "revoke", sessionID])
    expect(revoked.code).toBe(0)
    expect((await read(b, `/api/share/${slug}/data`)).status).toBe(404)
    expect((await read(a, `/api/share/${slug}/data`)).status).toBe(404)
  })
})
