/**
 * The overlay server (`opencode serve` through the overlay) in front of the
 * real runtime: proxying, share refusal, overlay routes, and its safety rules.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, readdirSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { locateRuntime } from "../../packages/opencode/src/runtime/locate.ts"
import { insertSession, openForWriting, runtimeHome } from "../../scripts/bench/generate.ts"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox, type Server } from "../support/sandbox.ts"

// The runtime boots in seconds on 2 cores; bun applies a default timeout per file.
setDefaultTimeout(120_000)

const RUNTIME = Effect.runSync(locateRuntime())

let sandbox: Sandbox
let server: Server
let sessionID: string
let publishedID: string

beforeAll(async () => {
  sandbox = await createSandbox({ project: { share: "manual" } })
  // One session published on the bare runtime while the project allowed it, one private.
  publishedID = (await sandbox.prompt("to publish", [turn.text("Public words.")], { via: "bare", args: ["--share"] }))
    .sessionIDs[0]!
  sandbox.writeProjectConfig({ share: "disabled" })
  sessionID = (await sandbox.prompt("hello server", [turn.bash("echo served"), turn.text("Done serving.")])).sessionIDs[0]!
  server = await sandbox.serve()
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("opencode serve through the overlay", () => {
  test("the runtime's API is proxied unchanged", async () => {
    const [viaOverlay] = await Promise.all([fetch(`${server.url}/session/${sessionID}/message`)])
    expect(viaOverlay.status).toBe(200)
    const messages = (await viaOverlay.json()) as Array<{ info: { id: string }; parts: Array<{ type: string; state?: { output?: string } }> }>
    expect(messages.length).toBeGreaterThanOrEqual(2)
    const bash = messages.flatMap((m) => m.parts).find((p) => p.type === "tool")
    expect(bash?.state?.output).toBe("served\n")
  })

  test("the /event stream is proxied as server-sent events", async () => {
    const controller = new AbortController()
    const response = await fetch(`${server.url}/event`, { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    const reader = response.body!.getReader()
    const { value } = await reader.read()
    expect(new TextDecoder().decode(value)).toContain("data:")
    controller.abort()
  })

  test("POST /session/:id/share answers 403 share_disabled and the share host sees nothing", async () => {
    const before = sandbox.capture.requests.length
    const response = await fetch(`${server.url}/session/${sessionID}/share`, { method: "POST" })
    expect(response.status).toBe(403)
    const body = await response.json()
    expect(body.error).toBe("share_disabled")
    expect(body.message).toContain(`Sharing is disabled (from ${sandbox.project}/opencode.json)`)
    expect(body.message).toContain("opencode export")
    expect(body.policy.mode).toBe("disabled")
    await Bun.sleep(1500)
    expect(sandbox.capture.requests.length).toBe(before)
  })

  test("GET /overlay/policy gives the mode and its source", async () => {
    const policy = await (await fetch(`${server.url}/overlay/policy`)).json()
    expect(policy).toEqual({ mode: "disabled", source: `${sandbox.project}/opencode.json`, overridden: [], problems: [] })
  })

  test("GET /overlay/sessions lists sessions newest first, with counts and the published flag", async () => {
    const sessions = (await (await fetch(`${server.url}/overlay/sessions`)).json()) as Array<{
      id: string
      messages: number
      directory: string
      published: null | { url: string; state: "live" | "link-only" }
    }>
    expect(sessions.map((s) => s.id)).toEqual([sessionID, publishedID])
    expect(sessions[0]!.messages).toBeGreaterThanOrEqual(2)
    expect(sessions[0]!.directory).toBe(sandbox.project)
    expect(sessions[0]!.published).toBeNull()
    expect(sessions[1]!.published?.state).toBe("live")
    expect(sessions[1]!.published?.url).toStartWith(sandbox.capture.url)
  })

  test("GET /overlay/session/:id/export gives the CLI's bytes as an attachment", async () => {
    for (const [format, flags] of [
      ["markdown", []],
      ["markdown", ["--thinking", "--tool-details", "--diffs"]],
      ["html", ["--thinking", "--tool-details", "--diffs"]],
    ] as const) {
      const query = flags.length ? "&thinking=1&toolDetails=1&diffs=1" : ""
      const response = await fetch(`${server.url}/overlay/session/${sessionID}/export?format=${format}${query}`)
      expect(response.status).toBe(200)
      expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="[\\w.-]+\\.${format === "html" ? "html" : "md"}"$`))
      const cli = await sandbox.run(["export", sessionID, "--format", format, "--stdout", ...flags])
      expect(cli.code).toBe(0)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new TextEncoder().encode(cli.stdout))
    }
    const bad = await fetch(`${server.url}/overlay/session/${sessionID}/export?format=pdf`)
    expect(bad.status).toBe(400)
    const missing = await fetch(`${server.url}/overlay/session/ses_nope/export`)
    expect(missing.status).toBe(404)
  })

  test("GET /overlay/commands comes from the registry: export offered, share and unshare not", async () => {
    const commands = (await (await fetch(`${server.url}/overlay/commands`)).json()) as Array<{ name: string; offered: boolean }>
    expect(commands.map((c) => [c.name, c.offered])).toEqual([
      ["export", true],
      ["share", false],
      ["unshare", false],
    ])
  })

  test("unknown overlay routes and sessions answer JSON errors with a status that says what happened", async () => {
    const missing = await fetch(`${server.url}/overlay/nope`)
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe("not_found")
    const revoke = await fetch(`${server.url}/overlay/session/ses_nope/revoke`, { method: "POST" })
    expect(revoke.status).toBe(404)
    const body = await revoke.text()
    expect(JSON.parse(body).error).toBe("session_not_found")
    expect(body).not.toContain("    at ")
  })

  test("a WebSocket (the terminal's) opens from this server's pages, and is refused from another origin", async () => {
    const dir = encodeURIComponent(sandbox.project)
    const pty = (await (
      await fetch(`${server.url}/pty?directory=${dir}`, { method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: "{}" })
    ).json()) as { id: string }
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${server.url.replace("http", "ws")}/pty/${pty.id}/connect?directory=${dir}&cursor=0`, { headers: { origin } } as unknown as string[])
        socket.onopen = () => {
          socket.close()
          resolve("open")
        }
        socket.onerror = () => resolve("refused")
      })
    expect(await open(server.url)).toBe("open")
    expect(await open("https://evil.example")).toBe("refused")
  })

  test("state-changing requests from another origin are refused", async () => {
    const response = await fetch(`${server.url}/overlay/session/${publishedID}/revoke`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    })
    expect(response.status).toBe(403)
    expect((await response.json()).error).toBe("cross_origin")
    expect(sandbox.capture.requests.filter((r) => r.method === "DELETE")).toHaveLength(0)
  })

  test("POST /overlay/session/:id/revoke unpublishes (from the app's own origin)", async () => {
    const response = await fetch(`${server.url}/overlay/session/${publishedID}/revoke`, {
      method: "POST",
      headers: { origin: server.url },
    })
    expect(response.status).toBe(200)
    expect((await response.json()).revoked).toBe(publishedID)
    expect(sandbox.capture.requests.filter((r) => r.method === "DELETE")).toHaveLength(1)
    const sessions = (await (await fetch(`${server.url}/overlay/sessions`)).json()) as Array<{
      id: string
      published: null | { state: "live" | "link-only" }
    }>
    expect(sessions.find((s) => s.id === publishedID)?.published?.state).toBe("link-only")
  })

  test("the runtime's web app is served at /, as the runtime serves it, with the overlay's addition linked", async () => {
    const bare = await fetch(`${server.url}/some/client/route`, { headers: { accept: "text/html" } })
    expect(bare.status).toBe(200)
    // The runtime's own Content Security Policy stays: the addition is a script of this origin.
    expect(bare.headers.get("content-security-policy")).toContain("script-src 'self'")
    const html = await bare.text()
    expect(html).toContain('<div id="root"')
    const tag = html.match(/<script type="module" src="(\/logs\/addon\.js\?v=[^"]+)" data-runtime-version="([^"]+)"><\/script>\n<\/head>/)
    expect(tag?.[2]).toBe(RUNTIME.version)
    const addon = await fetch(`${server.url}${tag![1]}`)
    expect(addon.status).toBe(200)
    expect(addon.headers.get("content-type")).toContain("javascript")
    expect(await addon.text()).toContain("Export session log")
    // The session logs moved to /logs/.
    const logs = await fetch(`${server.url}/logs`, { redirect: "manual" })
    expect([logs.status, logs.headers.get("location")]).toEqual([301, "/logs/"])
    expect(await (await fetch(`${server.url}/logs/`)).text()).toContain("<title>OpenCode sessions</title>")
  })
})

describe("opencode serve: binding, passwords, stopping", () => {
  test("SIGTERM to the overlay server stops its private runtime too", async () => {
    await using box = await createSandbox()
    const served = await box.serve()
    expect(box.livePids().length).toBeGreaterThanOrEqual(2) // the overlay server and its runtime
    await served.stop()
    const deadline = Date.now() + 15_000
    while (box.livePids().length > 0 && Date.now() < deadline) await Bun.sleep(100)
    expect(box.livePids()).toEqual([])
  })

  test("SIGTERM during an export download: the download is cut, its temporary folder removed, and no runtime is left", async () => {
    await using box = await createSandbox()
    // A session whose export takes a while (about half a second): a database the pinned
    // runtime created, filled by the benchmark's generator.
    const home = await runtimeHome(join(box.root, "big"), RUNTIME.binary)
    const db = openForWriting(home.database)
    const id = insertSession(db, home, { messages: 3000, partsPerAssistant: 19, children: 0, childMessages: 0 }, 1)
    db.close()
    const tmp = join(box.root, "tmp")
    mkdirSync(tmp)
    const served = await box.serve({ env: { TMPDIR: tmp }, args: ["--data-dir", join(home.root, "data", "opencode")] })
    const exporting = () => readdirSync(tmp).filter((name) => name.startsWith("overlay-export-"))
    const download = fetch(`${served.url}/overlay/session/${id}/export?thinking=1&toolDetails=1&diffs=1`).then(
      (response) => response.arrayBuffer().then(() => `complete (${response.status})`),
      () => "cut",
    )
    // The export's private folder exists while it writes: what a leftover would look like.
    const deadline = Date.now() + 20_000
    while (exporting().length === 0 && Date.now() < deadline) await Bun.sleep(5)
    expect(exporting()).toHaveLength(1)
    served.process.kill("SIGTERM")
    await served.process.exited
    expect(served.process.signalCode).toBe("SIGTERM") // it ends by the signal, once it has cleaned up
    expect(await download).toBe("cut")
    expect(exporting()).toEqual([])
    const gone = Date.now() + 15_000
    while (box.livePids().length > 0 && Date.now() < gone) await Bun.sleep(100)
    expect(box.livePids()).toEqual([])
  })

  test("listening beyond loopback without OPENCODE_SERVER_PASSWORD is refused", async () => {
    await using box = await createSandbox()
    const result = await box.run(["serve", "--hostname", "0.0.0.0", "--port", "0"], { timeoutMs: 30_000 })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("OPENCODE_SERVER_PASSWORD")
  })

  test("with a password, every route needs it", async () => {
    await using box = await createSandbox()
    const secured = await box.serve({ env: { OPENCODE_SERVER_PASSWORD: "hunter2" } })
    expect((await fetch(`${secured.url}/overlay/policy`)).status).toBe(401)
    expect((await fetch(`${secured.url}/session`)).status).toBe(401)
    const auth = { authorization: `Basic ${Buffer.from("opencode:hunter2").toString("base64")}` }
    expect((await fetch(`${secured.url}/overlay/policy`, { headers: auth })).status).toBe(200)
    expect((await fetch(`${secured.url}/session`, { headers: auth })).status).toBe(200)
    // Guessing: ten wrong passwords from an address, then it waits out the minute, the right password included.
    const guess = (password: string) => fetch(`${secured.url}/session`, { headers: { authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}` } })
    for (let i = 0; i < 10; i++) expect((await guess(`guess ${i}`)).status).toBe(401)
    const refused = await guess("guess 10")
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
    expect((await guess("hunter2")).status).toBe(429)
  })
})
