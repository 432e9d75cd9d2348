/**
 * The team share server (`opencode share-server`) as a team runs it, fed
 * with what the pinned runtime really publishes: a session the runtime made
 * (a bash call whose output holds a token) is shared by the bare runtime to
 * the capture server, and its create and sync requests are sent again, with a
 * member's token, to the share server. Members only; the runtime's own
 * format back; secrets redacted on the way in (the captured sync holding the
 * token is the control); bad input, limits, revocation, expiry, the audit
 * log; two processes on one database.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../support/share-server.ts"

setDefaultTimeout(120_000)

// A GitHub token of the real format (made up): the export's rules redact it.
const TOKEN = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"
const ANSWER = "The deploy key rotation is done."

type Item = { type: string; data: { id?: string; messageID?: string; text?: string; [k: string]: unknown } }
type SyncBody = { secret: string; data: Item[] }

let sandbox: Sandbox
let server: RunningShareServer
let token: string
let sessionID: string
/** The sync requests the bare runtime sent for the session (to the capture server). */
let syncs: SyncBody[]

const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const headers = new Headers(init.headers)
  const bearer = init.token === undefined ? token : init.token
  if (bearer) headers.set("authorization", `Bearer ${bearer}`)
  return fetch(`${server.url}${path}`, { ...init, headers })
}
const post = (path: string, body: unknown, init: RequestInit & { token?: string | null } = {}) =>
  api(path, { ...init, method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) })

/** Publishes the recorded session to the share server as the runtime would: create, then each sync. */
async function publish(headers: Record<string, string> = {}): Promise<{ id: string; url: string; secret: string }> {
  const created = await post("/api/share", { sessionID }, { headers })
  expect(created.status).toBe(200)
  const share = (await created.json()) as { id: string; url: string; secret: string }
  for (const sync of syncs) {
    const answered = await post(`/api/share/${share.id}/sync`, { secret: share.secret, data: sync.data })
    expect([answered.status, await answered.text()]).toEqual([200, "{}"])
  }
  return share
}

beforeAll(async () => {
  sandbox = await createSandbox({ project: { share: "manual" } })
  const made = await sandbox.prompt("Rotate the deploy key", [turn.bash(`echo "rotated; old key ${TOKEN}"`, "Rotate it"), turn.text(ANSWER)])
  expect(made.code).toBe(0)
  sessionID = made.sessionIDs[0]!
  // The bare runtime publishes it to the capture server; its full sync comes a second after the create.
  const runtime = await sandbox.serve({ via: "bare" })
  const before = sandbox.capture.requests.length
  const shared = await fetch(`${runtime.url}/session/${sessionID}/share`, { method: "POST" })
  expect(shared.status).toBe(200)
  const synced = () =>
    sandbox.capture.requests
      .slice(before)
      .filter((r) => r.method === "POST" && /\/sync$/.test(r.path))
      .map((r) => r.json as SyncBody)
  const deadline = Date.now() + 30_000
  while (!synced().some((s) => s.data.some((i) => i.type === "part" && JSON.stringify(i.data).includes(ANSWER))) && Date.now() < deadline) await Bun.sleep(50)
  await runtime.stop()
  syncs = synced()
  expect(syncs.length).toBeGreaterThan(0)
  server = await startShareServer(sandbox)
  token = await memberToken(sandbox, "ada@example.com")
})

afterAll(async () => {
  await server?.stop()
  await sandbox?.dispose()
})

describe("opencode share-server", () => {
  test("what the runtime publishes, sent with a member's token: its own format back, the latest of each item, the token redacted", async () => {
    // The control: the runtime's own sync carries the token as it was in the session.
    expect(JSON.stringify(syncs)).toContain(TOKEN)
    const share = await publish()
    expect(share.url).toBe(`${server.url}/share/${share.id}`)
    expect(share.id).toMatch(/^[A-Za-z0-9]{12}$/)

    const data = await api(`/api/share/${share.id}/data`)
    expect(data.status).toBe(200)
    const items = (await data.json()) as Item[]
    expect(items[0]).toMatchObject({ type: "session", data: { id: sessionID } })
    const sent = syncs.flatMap((s) => s.data)
    // One item per message and part, whatever was sent twice, each as it was last sent.
    const parts = items.filter((i) => i.type === "part")
    expect(new Set(parts.map((p) => p.data.id)).size).toBe(parts.length)
    expect(parts.map((p) => p.data.id).sort()).toEqual([...new Set(sent.filter((i) => i.type === "part").map((i) => i.data.id!))].sort())
    const text = JSON.stringify(items)
    expect(text).toContain(ANSWER)
    expect(text).not.toContain(TOKEN)
    expect(text).toContain("[REDACTED:github-token]")
    // Nor in the server's database file.
    const files = ["", "-wal"].map((s) => join(sandbox.dataDir, "opencode-local-overlay", `share-server.db${s}`))
    for (const file of files) expect(readFileSync(file, { flag: "r" }).includes(TOKEN)).toBe(false)
    expect(files.some((file) => readFileSync(file).includes(ANSWER))).toBe(true)

    const page = await api(`/share/${share.id}`, { headers: { accept: "text/html" } })
    expect(page.status).toBe(200)
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'")
    const html = await page.text()
    expect(html).toContain(ANSWER)
    expect(html).toContain("Rotate the deploy key")
    expect(html).not.toContain(TOKEN)
  })

  test("members only: no token, an unknown one, a revoked one; a browser gets a page saying so; only /health is open", async () => {
    const share = await publish()
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    for (const bearer of [null, "ocs_not-a-token"]) {
      const answered = await api(`/api/share/${share.id}/data`, { token: bearer })
      expect(answered.status).toBe(401)
      expect(answered.headers.get("www-authenticate")).toContain("Bearer")
      expect(((await answered.json()) as { error: string }).error).toBe("not_member")
      expect((await post("/api/share", { sessionID }, { token: bearer })).status).toBe(401)
    }
    const page = await api(`/share/${share.id}`, { token: null, headers: { accept: "text/html" } })
    expect([page.status, await page.text()]).toEqual([401, expect.stringContaining("Members only")])

    const other = await memberToken(sandbox, "bob@example.com")
    expect((await api(`/api/share/${share.id}/data`, { token: other })).status).toBe(200)
    const listed = await sandbox.run(["share-server", "token", "list"])
    const id = /^(tok_\w+)\s+bob@example\.com/m.exec(listed.stdout)![1]!
    const revoked = await sandbox.run(["share-server", "token", "revoke", id])
    expect([revoked.code, revoked.stdout]).toEqual([0, `revoked ${id} of bob@example.com\n`])
    expect((await api(`/api/share/${share.id}/data`, { token: other })).status).toBe(401)
    // A server limited to one domain: a token of another is refused at issue.
    const refused = await sandbox.run(["share-server", "token", "create", "--user", "eve@elsewhere.org", "--allow-email-domain", "example.com"])
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining("not an e-mail address of example.com")])
  })

  test("bad input: 403 wrong secret, 404 unknown share, 400 with the reason, and a batch with one bad item stores nothing", async () => {
    const share = await publish()
    const before = await (await api(`/api/share/${share.id}/data`)).text()
    const wrong = await post(`/api/share/${share.id}/sync`, { secret: "not-the-secret", data: [] })
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([403, "wrong_secret"])
    expect((await post("/api/share/nosuchshare1/sync", { secret: share.secret, data: [] })).status).toBe(404)
    expect((await api("/api/share/nosuchshare1/data")).status).toBe(404)
    expect((await api("/api/share/..%2f..%2fetc/data")).status).toBe(404)
    for (const [body, said] of [
      ["{not json", "not JSON"],
      [{ data: [] }, "secret is missing"],
      [{ secret: share.secret, data: [{ type: "bogus", data: {} }] }, "type must be one of"],
      [{ secret: share.secret, data: [{ type: "part", data: { id: "prt_x" } }] }, "messageID is missing"],
    ] as const) {
      const answered = await post(`/api/share/${share.id}/sync`, body)
      expect(answered.status).toBe(400)
      expect(((await answered.json()) as { message: string }).message).toContain(said)
    }
    // All or nothing: a good item followed by a bad one leaves the share as it was.
    const good = { type: "part", data: { id: "prt_zzzz", messageID: "msg_zzzz", sessionID, type: "text", text: "half of a batch" } }
    expect((await post(`/api/share/${share.id}/sync`, { secret: share.secret, data: [good, { type: "part", data: {} }] })).status).toBe(400)
    expect(await (await api(`/api/share/${share.id}/data`)).text()).toBe(before)
    expect((await post("/api/share", { session: "x" })).status).toBe(400)
    // JSON nested deeper than the engine's stack: 400, nothing stored.
    const deep = `{"secret":${JSON.stringify(share.secret)},"data":[{"type":"model","data":[${"[".repeat(200_000)}${"]".repeat(200_000)}]}]}`
    const nested = await post(`/api/share/${share.id}/sync`, deep)
    expect(nested.status).toBe(400)
    expect(await (await api(`/api/share/${share.id}/data`)).text()).toBe(before)
    // A secret written as a key is redacted there too.
    const keyed = { type: "part", data: { id: "prt_keyed", messageID: "msg_keyed", sessionID, type: "tool", tool: "bash", callID: "c", state: { status: "completed", input: { [TOKEN]: "x" }, output: "", title: "", metadata: {}, time: { start: 1, end: 2 } } } }
    expect((await post(`/api/share/${share.id}/sync`, { secret: share.secret, data: [keyed] })).status).toBe(200)
    const after = await (await api(`/api/share/${share.id}/data`)).text()
    expect(after).toContain("prt_keyed")
    expect(after).not.toContain(TOKEN)
  })

  test("limits: a body over --max-body is 413, more requests a minute than --rate-limit 429 with Retry-After, a share over --max-share 413", async () => {
    const small = await startShareServer(sandbox, ["--database", join(sandbox.root, "small.db"), "--max-body", "4096", "--rate-limit", "5"])
    try {
      const mine = await memberToken(sandbox, "ada@example.com", ["--database", join(sandbox.root, "small.db")])
      // Requests are counted per minute of the clock: every request counted below must fall in one minute, so a
      // sequence that could straddle the next one waits for it (seen: the 413 counted in one minute, the burst in the next).
      while (Date.now() % 60_000 > 40_000) await Bun.sleep(100)
      const call = (body: unknown) =>
        fetch(`${small.url}/api/share`, { method: "POST", headers: { authorization: `Bearer ${mine}` }, body: JSON.stringify(body) })
      const big = await call({ sessionID, padding: "x".repeat(8192) })
      // The reason comes with it, as JSON.
      expect([big.status, ((await big.json()) as { error: string }).error]).toEqual([413, "body_too_large"])
      const answers: number[] = []
      for (let i = 0; i < 6; i++) answers.push((await call({ sessionID })).status)
      // Five a minute, the 413 above counted (a member is known before the body is read): the fifth and sixth refused.
      expect(answers).toEqual([200, 200, 200, 200, 429, 429])
      const limited = await call({ sessionID })
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0)
    } finally {
      await small.stop()
    }
    // A share over --max-share: the sync that would pass it is 413, and nothing of it is stored.
    const quota = await startShareServer(sandbox, ["--database", join(sandbox.root, "quota.db"), "--max-body", "65536", "--max-share", "70000"])
    try {
      const mine = await memberToken(sandbox, "ada@example.com", ["--database", join(sandbox.root, "quota.db")])
      const call = (path: string, body: unknown) => fetch(`${quota.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${mine}` }, body: JSON.stringify(body) })
      const share = (await (await call("/api/share", { sessionID })).json()) as { id: string; secret: string }
      const part = (n: number) => ({ type: "part", data: { id: `prt_${n}`, messageID: "msg_q", sessionID, type: "text", text: "w ".repeat(20_000) } })
      expect((await call(`/api/share/${share.id}/sync`, { secret: share.secret, data: [part(1)] })).status).toBe(200)
      const over = await call(`/api/share/${share.id}/sync`, { secret: share.secret, data: [part(2)] })
      expect([over.status, ((await over.json()) as { error: string }).error]).toEqual([413, "share_quota"])
      const held = (await (await fetch(`${quota.url}/api/share/${share.id}/data`, { headers: { authorization: `Bearer ${mine}` } })).json()) as Item[]
      expect(held.map((i) => i.data.id)).toEqual(["prt_1"])
    } finally {
      await quota.stop()
    }
  })

  test("Host and Origin: another name (DNS rebinding) gets 421, a browser request from another site 403", async () => {
    const rebound = await fetch(`${server.url}/health`, { headers: { host: "attacker.example:80" } })
    expect(rebound.status).toBe(421)
    const share = await publish()
    const cross = await post(`/api/share/${share.id}/sync`, { secret: share.secret, data: [] }, { headers: { origin: "https://attacker.example" } })
    expect(cross.status).toBe(403)
  })

  test("lifetime: the owner revokes with the secret, an administrator takes any share down, a share expires; the audit log says who did what", async () => {
    const mine = await publish()
    expect((await api(`/api/share/${mine.id}/data`)).status).toBe(200)
    const revoked = await api(`/api/share/${mine.id}`, { method: "DELETE", body: JSON.stringify({ secret: mine.secret }) })
    expect(revoked.status).toBe(200)
    expect((await api(`/api/share/${mine.id}/data`)).status).toBe(404)
    expect((await api(`/share/${mine.id}`, { headers: { accept: "text/html" } })).status).toBe(404)
    // What was published is gone from the database, not only hidden.
    const db = new Database(join(sandbox.dataDir, "opencode-local-overlay", "share-server.db"), { readonly: true })
    expect(db.query<{ n: number }, [string]>("select count(*) as n from item where share_id = ?").get(mine.id)!.n).toBe(0)
    db.close()

    const theirs = await publish()
    const down = await sandbox.run(["share-server", "shares", "remove", theirs.id, "--admin", "root@example.com"])
    expect([down.code, down.stdout]).toEqual([0, expect.stringContaining(`took down ${theirs.id}`)])
    expect((await api(`/api/share/${theirs.id}/data`)).status).toBe(404)
    const list = await sandbox.run(["share-server", "shares", "list"])
    expect(list.stdout).toMatch(new RegExp(`${theirs.id}\\s+ada@example\\.com\\s+session ${sessionID}.*taken down by root@example\\.com`))

    const brief = await publish({ "x-share-expires": "2s" })
    expect((await api(`/api/share/${brief.id}/data`)).status).toBe(200)
    const deadline = Date.now() + 20_000
    while ((await api(`/api/share/${brief.id}/data`)).status === 200 && Date.now() < deadline) await Bun.sleep(200)
    expect((await api(`/api/share/${brief.id}/data`)).status).toBe(404)
    expect((await post("/api/share", { sessionID }, { headers: { "x-share-expires": "forever" } })).status).toBe(400)
    // A publisher may ask for less than the server's 30 days, not for more.
    const long = (await (await post("/api/share", { sessionID }, { headers: { "x-share-expires": "300d" } })).json()) as { expiresAt: string }
    expect(Date.parse(long.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 86_400_000)
    // What the expired share published is deleted when a server starts (and every ten minutes).
    const restarted = await startShareServer(sandbox)
    await restarted.stop()
    const purged = new Database(join(sandbox.dataDir, "opencode-local-overlay", "share-server.db"), { readonly: true })
    expect(purged.query<{ n: number }, [string]>("select count(*) as n from item where share_id = ?").get(brief.id)!.n).toBe(0)
    purged.close()

    const audit = await sandbox.run(["share-server", "audit", "--json", "--limit", "1000"])
    const entries = audit.stdout.trim().split("\n").map((line) => JSON.parse(line) as { actor: string; action: string; shareID: string | null })
    expect(entries).toContainEqual(expect.objectContaining({ actor: "ada@example.com", action: "create", shareID: mine.id }))
    expect(entries).toContainEqual(expect.objectContaining({ actor: "ada@example.com", action: "read", shareID: mine.id }))
    expect(entries).toContainEqual(expect.objectContaining({ actor: "ada@example.com", action: "revoke", shareID: mine.id }))
    expect(entries).toContainEqual(expect.objectContaining({ actor: "root@example.com", action: "take down", shareID: theirs.id }))
    expect(entries).toContainEqual(expect.objectContaining({ action: "token revoke" }))
    expect(entries).toContainEqual(expect.objectContaining({ actor: "ada@example.com", action: "sync", shareID: mine.id }))
    expect(entries).toContainEqual(expect.objectContaining({ actor: "ada@example.com", action: "sync refused: wrong secret" }))
  })

  test("two server processes on one database serve the same shares", async () => {
    const second = await startShareServer(sandbox)
    try {
      const share = await publish()
      const there = await fetch(`${second.url}/api/share/${share.id}/data`, { headers: { authorization: `Bearer ${token}` } })
      expect(there.status).toBe(200)
      expect(await there.text()).toContain(ANSWER)
    } finally {
      await second.stop()
    }
  })

  test("administrators named with --admin, over HTTP: every share, take any down, the audit log, members' tokens; a member who is not one gets 403", async () => {
    const admin = await startShareServer(sandbox, ["--admin", "root@example.com"])
    try {
      const rootToken = await memberToken(sandbox, "root@example.com")
      const as = (bearer: string, path: string, init: RequestInit = {}) =>
        fetch(`${admin.url}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", ...init.headers } })
      const share = await publish()
      // The control: ada, a member but no administrator, is refused every one of these.
      for (const [path, method] of [["/api/admin/shares", "GET"], ["/api/admin/audit", "GET"], ["/api/admin/tokens", "GET"], [`/api/admin/share/${share.id}`, "DELETE"]] as const) {
        const refused = await as(token, path, { method })
        expect([path, refused.status, ((await refused.json()) as { error: string }).error]).toEqual([path, 403, "not_admin"])
      }
      const shares = (await (await as(rootToken, "/api/admin/shares")).json()) as Array<{ id: string; owner: string }>
      expect(shares.find((s) => s.id === share.id)?.owner).toBe("ada@example.com")
      const made = (await (await as(rootToken, "/api/admin/tokens", { method: "POST", body: JSON.stringify({ email: "carol@example.com" }) })).json()) as { id: string; token: string }
      expect((await (await fetch(`${admin.url}/api/me`, { headers: { authorization: `Bearer ${made.token}` } })).json()) as unknown).toEqual({ email: "carol@example.com" })
      expect((await as(rootToken, `/api/admin/tokens/${made.id}`, { method: "DELETE" })).status).toBe(200)
      expect((await fetch(`${admin.url}/api/me`, { headers: { authorization: `Bearer ${made.token}` } })).status).toBe(401)
      const takenDown = await as(rootToken, `/api/admin/share/${share.id}`, { method: "DELETE" })
      expect(takenDown.status).toBe(200)
      expect((await api(`/api/share/${share.id}/data`)).status).toBe(404)
      const audit = (await (await as(rootToken, "/api/admin/audit?limit=20")).json()) as Array<{ actor: string; action: string; shareID: string | null }>
      expect(audit).toContainEqual(expect.objectContaining({ actor: "root@example.com", action: "take down", shareID: share.id }))
      expect(audit).toContainEqual(expect.objectContaining({ actor: "root@example.com", action: "token create" }))
      expect((await as(rootToken, "/api/admin/audit?limit=0")).status).toBe(400)
    } finally {
      await admin.stop()
    }
  })

  test("share login keeps a member token only once the server says whose it is, readable by the user alone; logout forgets it", async () => {
    const file = join(sandbox.dataDir, "opencode-local-overlay", "team-servers.json")
    const refused = await sandbox.run(["share", "login", server.url, "--token", "ocs_not-a-members-token"])
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining("does not take this token")])
    expect(existsSync(file)).toBe(false)
    const away = await sandbox.run(["share", "login", "http://127.0.0.1:9", "--token", token])
    expect([away.code, away.stderr]).toEqual([1, expect.stringContaining("Cannot reach the share server at http://127.0.0.1:9")])
    const plain = await sandbox.run(["share", "login", "http://share.example.com", "--token", token])
    expect([plain.code, plain.stderr]).toEqual([2, expect.stringContaining("must not cross a network unencrypted")])

    const signed = await sandbox.run(["share", "login", `${server.url}/`, "--token", token])
    expect([signed.code, signed.stdout]).toEqual([0, expect.stringContaining(`Signed in to ${server.url} as ada@example.com (members only)`)])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(file, "..")).mode & 0o777).toBe(0o700)
    const kept = JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, { token: string; email: string }> }
    expect(kept.servers[server.url]).toMatchObject({ token, email: "ada@example.com" })

    const out = await sandbox.run(["share", "logout", server.url])
    expect([out.code, out.stdout]).toEqual([0, `Signed out of ${server.url}: its token is forgotten here.\n`])
    expect((JSON.parse(readFileSync(file, "utf8")) as { servers: object }).servers).toEqual({})
    expect((await sandbox.run(["share", "logout", server.url])).stdout).toContain("No token for")
  })
})
