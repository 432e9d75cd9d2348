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
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"
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
    const made = await sandbox.prompt("Rotate the deploy key", [turn.bash(`echo "rotated; old key ${TOKEN}"`, "Rotate it"), turn.text("Rotated.")], {
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
})
