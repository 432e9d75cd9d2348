/**
 * Team sharing through the overlay, as a member uses it: a project opts in
 * and names the team's share server (`enterprise.url`), the member signed in
 * with `opencode share login`, and the pinned runtime's own sharing goes
 * through the overlay's loopback endpoint: the member's token added, every
 * item redacted before it leaves, delivered from a durable outbox, a final
 * full sync when the runtime ends. The page then equals the session.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
import { startRecordingProxy } from "../support/recording-proxy.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../support/share-server.ts"

setDefaultTimeout(180_000)

// A GitHub token of the real format (made up): the export's rules redact it.
const TOKEN = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"

type Item = { type: string; data: { id?: string; messageID?: string; sessionID?: string; [k: string]: unknown } }

let sandbox: Sandbox
let server: RunningShareServer
let token: string

const bearer = () => ({ authorization: `Bearer ${token}` })
const shareData = async (slug: string) => {
  const answered = await fetch(`${server.url}/api/share/${slug}/data`, { headers: bearer() })
  return { status: answered.status, items: answered.status === 200 ? ((await answered.json()) as Item[]) : [] }
}
const shareOf = (sessionID: string) => {
  const db = sandbox.database()
  try {
    return db.query<{ id: string; url: string }, [string]>("select id, url from session_share where session_id = ?").get(sessionID)
  } finally {
    db.close()
  }
}
/** The message and part ids of a session in the runtime's database. */
const localIDs = (sessionID: string) => {
  const db = sandbox.database()
  try {
    return {
      messages: db.query<{ id: string }, [string]>("select id from message where session_id = ? order by id").all(sessionID).map((r) => r.id),
      parts: db.query<{ id: string }, [string]>("select id from part where session_id = ? order by id").all(sessionID).map((r) => r.id),
    }
  } finally {
    db.close()
  }
}
const localParts = (sessionID: string) => {
  const db = sandbox.database()
  try {
    return db.query<{ data: string }, [string]>("select data from part where session_id = ?").all(sessionID).map((r) => r.data)
  } finally {
    db.close()
  }
}
const remoteIDs = (items: Item[]) => ({
  messages: items.filter((i) => i.type === "message").map((i) => i.data.id!).sort(),
  parts: items.filter((i) => i.type === "part").map((i) => i.data.id!).sort(),
})

beforeAll(async () => {
  sandbox = await createSandbox({ project: { share: "manual" } })
  server = await startShareServer(sandbox)
  token = await memberToken(sandbox, "ada@example.com")
  sandbox.writeProjectConfig({ share: "manual", enterprise: { url: server.url } })
  const login = await sandbox.run(["share", "login", server.url, "--token", token])
  expect(login.code).toBe(0)
})

afterAll(async () => {
  await server?.stop()
  await sandbox?.dispose()
})

describe("team sharing through the overlay", () => {
  test("run --share: published to the team server only, with the member's token, redacted; the page equals the session", async () => {
    const before = sandbox.capture.requests.length
    const made = await sandbox.prompt("Rotate the deploy key", [turn.bash(`echo "rotated; old key ${TOKEN}; kept in $HOME/keys"`, "Rotate it"), turn.text("Rotated.")], {
      args: ["--share"],
    })
    expect(made.code).toBe(0)
    expect(made.stderr).toContain(`${server.url} (members only; signed in as ada@example.com)`)
    const sessionID = made.sessionIDs[0]!
    const share = shareOf(sessionID)
    expect(share?.url).toBe(`${server.url}/share/${share?.id}`)
    const { status, items } = await shareData(share!.id)
    expect(status).toBe(200)
    // The control: the session as the runtime keeps it holds the token.
    expect(readFileSync(sandbox.databasePath).includes(TOKEN) || readFileSync(`${sandbox.databasePath}-wal`).includes(TOKEN)).toBe(true)
    const text = JSON.stringify(items)
    expect(text).not.toContain(TOKEN)
    expect(text).toContain("[REDACTED:github-token]")
    expect(text).toContain("Rotated.")
    // The home folder as ~, as in an export (the control: the tool's output in the database names it).
    expect(text).toContain("kept in ~/keys")
    expect(text).not.toContain(sandbox.home)
    expect(JSON.stringify(localParts(sessionID))).toContain(`${sandbox.home}/keys`)
    expect(remoteIDs(items)).toEqual(localIDs(sessionID))
    // Nothing went to any other share host (the capture server stands for the public one).
    expect(sandbox.capture.requests.length).toBe(before)
    // The ledger holds the publication; the outbox is empty.
    const ledger = new Database(join(sandbox.dataDir, "opencode-local-overlay", "team-shares.db"), { readonly: true })
    try {
      expect(ledger.query("select origin, share_id as shareID, session_id as sessionID from publication").all()).toContainEqual({
        origin: server.url,
        shareID: share!.id,
        sessionID,
      })
      expect(ledger.query<{ n: number }, []>("select count(*) as n from outbox").get()?.n).toBe(0)
    } finally {
      ledger.close()
    }
  })

  test("share <id> of a session no runtime is running: the whole session sent, --expires kept by the server; revoke takes it down", async () => {
    const made = await sandbox.prompt("Summarise the logs", [turn.bash("echo 'INFO started'", "Read them"), turn.text("Nothing failed.")])
    const sessionID = made.sessionIDs[0]!
    const shared = await sandbox.run(["share", sessionID, "--expires", "2d"])
    expect([shared.code, shared.stderr]).toEqual([0, `Published ${sessionID} to the team server ${server.url} (members only; signed in as ada@example.com).\n`])
    const share = shareOf(sessionID)!
    expect(shared.stdout).toBe(`${share.url}\n`)
    const { items } = await shareData(share.id)
    // The runtime sent only the create; the overlay's final sync sent the rest, from the database.
    expect(remoteIDs(items)).toEqual(localIDs(sessionID))
    const listed = await sandbox.run(["share-server", "shares", "list", "--json"])
    const rows = listed.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: string; createdAt: number; expiresAt: number })
    const row = rows.find((r) => r.id === share.id)!
    expect(row.expiresAt - row.createdAt).toBe(2 * 24 * 3600 * 1000)
    const status = await sandbox.run(["share", "status", "--json"])
    const json = JSON.parse(status.stdout) as { target: { url: string; kind: string; through_overlay: boolean }; signed_in: unknown; team_shares: Array<Record<string, unknown>> }
    expect(json.target).toEqual({ url: server.url, kind: "team", through_overlay: true })
    expect(json.signed_in).toEqual([{ origin: server.url, email: "ada@example.com" }])
    expect(json.team_shares.find((t) => t.shareID === share.id)).toMatchObject({ sessionID, url: share.url, revokedAt: null, waiting: 0 })
    // A status is pasted into chats: never a share's secret.
    expect(status.stdout).not.toContain("secret")

    const revoked = await sandbox.run(["share", "revoke", sessionID])
    expect([revoked.code, revoked.stdout]).toEqual([0, `revoked ${sessionID} ${share.url}\n`])
    expect((await shareData(share.id)).status).toBe(404)
    expect(shareOf(sessionID)).toBeNull()
  })

  test("revoke from the ledger after the local session is deleted", async () => {
    const made = await sandbox.prompt("A throwaway session", [turn.text("Done.")])
    const sessionID = made.sessionIDs[0]!
    expect((await sandbox.run(["share", sessionID])).code).toBe(0)
    const share = shareOf(sessionID)!
    expect((await shareData(share.id)).status).toBe(200)
    const runtime = await sandbox.serve({ via: "bare" })
    expect((await fetch(`${runtime.url}/session/${sessionID}`, { method: "DELETE" })).status).toBe(200)
    await runtime.stop()
    expect(sandbox.sessionIDs()).not.toContain(sessionID)
    // The control: deleting the local session left the copy on the server.
    expect((await shareData(share.id)).status).toBe(200)
    const revoked = await sandbox.run(["share", "revoke", sessionID])
    expect([revoked.code, revoked.stdout, revoked.stderr]).toEqual([0, `revoked ${sessionID} ${share.url}\n`, ""])
    expect((await shareData(share.id)).status).toBe(404)
  })

  test("the server stopped during a session: its updates wait in the outbox, and the next start delivers them", async () => {
    const made = await sandbox.prompt("First turn", [turn.text("One.")])
    const sessionID = made.sessionIDs[0]!
    expect((await sandbox.run(["share", sessionID])).code).toBe(0)
    const share = shareOf(sessionID)!
    const port = new URL(server.url).port
    await server.stop()
    const more = await sandbox.prompt("Second turn", [turn.text("Two, while the server was down.")], { args: ["--session", sessionID] })
    expect(more.code).toBe(0)
    expect(more.stderr).toMatch(/updates for http:\/\/127\.0\.0\.1:\d+ wait in the outbox/)
    // The wait after the run (the server down: about 5 s without progress) was said, not silent.
    expect(more.stderr).toContain(`sending the shared sessions' last updates to ${server.url}…`)
    server = await startShareServer(sandbox, [], Number(port))
    // The control: the server, up again, does not have the second turn yet.
    expect(JSON.stringify((await shareData(share.id)).items)).not.toContain("Two, while the server was down.")
    const next = await sandbox.prompt("Another session", [turn.text("Three.")])
    expect(next.code).toBe(0)
    const { items } = await shareData(share.id)
    expect(JSON.stringify(items)).toContain("Two, while the server was down.")
    expect(remoteIDs(items)).toEqual(localIDs(sessionID))
  })

  test("--pure and an active console account: team sharing refused, saying why; nothing published", async () => {
    const pure = await sandbox.prompt("Pure", [turn.text("Pure.")], { args: ["--share", "--pure"] })
    expect(pure.code).toBe(4)
    expect(pure.stderr).toContain("--share refused: --pure starts the runtime without plugins")
    expect(pure.sessionIDs).toEqual([])

    const made = await sandbox.prompt("Console", [turn.text("Console.")])
    const sessionID = made.sessionIDs[0]!
    const db = new Database(sandbox.databasePath)
    try {
      db.run("insert into account (id, email, url, access_token, refresh_token, time_created, time_updated) values ('acc_1', 'ada@example.com', 'https://console.example.com', 'a', 'r', 0, 0)")
      db.run("insert into account_state (id, active_account_id, active_org_id) values (1, 'acc_1', 'org_1')")
      const refused = await sandbox.run(["share", sessionID])
      expect(refused.code).toBe(4)
      expect(refused.stderr).toContain("a console account with an organisation is active (https://console.example.com)")
      expect(shareOf(sessionID)).toBeNull()
      const run = await sandbox.prompt("Console run", [turn.text("Run.")], { args: ["--share"] })
      expect(run.code).toBe(4)
      expect(run.stderr).toContain("--share refused: a console account")
    } finally {
      db.run("delete from account_state")
      db.run("delete from account")
      db.close()
    }
  })

  test("import <link> in another home: read with that member's token; without one, nothing is imported", async () => {
    const made = await sandbox.prompt("Hand this over", [turn.bash(`echo "key ${TOKEN}"`, "Show it"), turn.text("Handed over.")])
    const sessionID = made.sessionIDs[0]!
    expect((await sandbox.run(["share", sessionID])).code).toBe(0)
    const link = shareOf(sessionID)!.url
    await using other = await createSandbox()
    // The control: no member token in that home, so the runtime's own import gets nothing.
    const refused = await other.run(["import", link])
    expect(refused.stdout).toContain("Failed to fetch share data")
    expect(other.sessionIDs()).not.toContain(sessionID)
    const bob = await memberToken(sandbox, "bob@example.com")
    expect((await other.run(["share", "login", server.url, "--token", bob])).code).toBe(0)
    const imported = await other.run(["import", link])
    expect([imported.code, imported.stdout]).toEqual([0, `${sessionID}\n`])
    expect(other.sessionIDs()).toContain(sessionID)
    const db = other.database()
    try {
      const parts = db.query<{ id: string; data: string }, [string]>("select id, data from part where session_id = ? order by id").all(sessionID)
      expect(parts.map((p) => p.id)).toEqual(localIDs(sessionID).parts)
      expect(parts.map((p) => p.data).join("")).toContain("[REDACTED:github-token]")
      expect(parts.map((p) => p.data).join("")).not.toContain(TOKEN)
    } finally {
      db.close()
    }
  })

  test('"auto": every new session is published to the team server, and the launcher says where', async () => {
    sandbox.writeProjectConfig({ share: "auto", enterprise: { url: server.url } })
    try {
      const made = await sandbox.prompt("Automatic", [turn.text("Published by itself.")])
      expect(made.code).toBe(0)
      expect(made.stderr).toContain(`sessions shared here go to the team server ${server.url} (members only; signed in as ada@example.com)`)
      const sessionID = made.sessionIDs[0]!
      const share = shareOf(sessionID)!
      const { items } = await shareData(share.id)
      expect(JSON.stringify(items)).toContain("Published by itself.")
      expect(remoteIDs(items)).toEqual(localIDs(sessionID))
    } finally {
      sandbox.writeProjectConfig({ share: "manual", enterprise: { url: server.url } })
    }
  })

  test("behind a recording proxy: the overlay's team sharing sends nothing off loopback; the bare runtime's public share does (the control)", async () => {
    const proxy = startRecordingProxy()
    try {
      const made = await sandbox.prompt("Through the proxy", [turn.text("Nothing left the machine.")], { args: ["--share"], env: proxy.env })
      expect(made.code).toBe(0)
      const share = shareOf(made.sessionIDs[0]!)!
      expect(JSON.stringify((await shareData(share.id)).items)).toContain("Nothing left the machine.")
      expect(proxy.seen).toEqual([])
      // The control: a project of the bare runtime without a team server publishes to the public default, through the proxy.
      const bare = join(sandbox.root, "public-project")
      sandbox.writeProjectConfig({ share: "manual", enterprise: undefined }, bare)
      await sandbox.prompt("Public", [turn.text("To the public service.")], { via: "bare", args: ["--share"], env: proxy.env, cwd: bare })
      expect(proxy.seen).toContain("CONNECT opncd.ai:443")
    } finally {
      proxy.stop()
    }
  })

  test("the administrator's folder names the team server: a project that points sharing elsewhere still publishes there only", async () => {
    const before = sandbox.capture.requests.length
    sandbox.writeManagedConfig({ enterprise: { url: server.url } })
    // The project names the capture server (the stand-in for any other host) as its share host.
    sandbox.writeProjectConfig({ share: "manual", enterprise: { url: sandbox.capture.url } })
    try {
      const made = await sandbox.prompt("Administered", [turn.text("Kept in the team.")], { args: ["--share"] })
      expect(made.code).toBe(0)
      expect(made.stderr).toContain(`the team server ${server.url} (members only`)
      const share = shareOf(made.sessionIDs[0]!)!
      expect(share.url).toStartWith(`${server.url}/share/`)
      expect(JSON.stringify((await shareData(share.id)).items)).toContain("Kept in the team.")
      expect(sandbox.capture.requests.length).toBe(before)
      const status = JSON.parse((await sandbox.run(["share", "status", "--json"])).stdout) as { target: { url: string } }
      expect(status.target.url).toBe(server.url)
    } finally {
      rmSync(sandbox.managedDir, { recursive: true, force: true })
      sandbox.writeProjectConfig({ share: "manual", enterprise: { url: server.url } })
    }
  })

  test("opencode serve (the web app's server): its runtime shares through an endpoint open as long as it runs; the app's revoke takes it down", async () => {
    const made = await sandbox.prompt("Served", [turn.text("Shared from the web app.")])
    const sessionID = made.sessionIDs[0]!
    const served = await sandbox.serve()
    try {
      const shared = await fetch(`${served.url}/session/${sessionID}/share`, { method: "POST" })
      expect(shared.status).toBe(200)
      const share = shareOf(sessionID)!
      expect(share.url).toStartWith(`${server.url}/share/`)
      // Delivered while the server runs (the runtime's own sync, through the endpoint).
      const deadline = Date.now() + 30_000
      while (!JSON.stringify((await shareData(share.id)).items).includes("Shared from the web app.") && Date.now() < deadline) await Bun.sleep(200)
      expect(JSON.stringify((await shareData(share.id)).items)).toContain("Shared from the web app.")
      const revoked = await fetch(`${served.url}/overlay/session/${sessionID}/revoke`, { method: "POST" })
      expect(revoked.status).toBe(200)
      expect((await shareData(share.id)).status).toBe(404)
    } finally {
      await served.stop()
    }
  })
})
