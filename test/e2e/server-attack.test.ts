/**
 * The overlay's server (`opencode serve`, no password: the default) played
 * against as an attacker would, in front of the real runtime: what a web page
 * in the user's browser can make the browser send (a rebound name in `Host`
 * and `Origin`, a foreign `Origin`, a target that names another host, the
 * share route spelled another way). Every attack has its control: the same
 * request as the server's own page would send it does what the attack wanted,
 * so a refusal here is the guard's and not a request that could never work.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { rawRequest } from "../support/raw-http.ts"
import { createSandbox, type Sandbox, type Server } from "../support/sandbox.ts"

setDefaultTimeout(120_000)

let sandbox: Sandbox
let server: Server
let port: number
let sessionID: string
let own: { host: string; origin: string }

const portOf = (url: string) => Number(new URL(url).port)

/** A page on the attacker's name, re-pointed at 127.0.0.1 (DNS rebinding): the browser sends that name in both headers. */
const rebound = (name: string) => ({ host: `${name}:${port}`, origin: `http://${name}:${port}` })

/** Names a rebinding page may use, and look-alikes of the server's own. */
const FOREIGN_NAMES = ["attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "127.0.0.2"]

async function waitFor(check: () => boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) return false
    await Bun.sleep(50)
  }
  return true
}

beforeAll(async () => {
  sandbox = await createSandbox()
  sessionID = (await sandbox.prompt("a private session", [turn.bash("echo private words"), turn.text("Private answer.")])).sessionIDs[0]!
  server = await sandbox.serve()
  port = portOf(server.url)
  own = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` }
})

afterAll(async () => {
  await sandbox?.dispose()
})

describe("DNS rebinding: a request for another name is refused, whatever it asks", () => {
  const reads = () => [
    "/config",
    "/session",
    `/session/${sessionID}/message`,
    "/overlay/sessions",
    `/overlay/session/${sessionID}/export?format=json&toolDetails=1`,
    `/file/content?path=opencode.json&directory=${encodeURIComponent(sandbox.project)}`,
  ]

  test("reads: 421 with the names it answers to; the server's own name gets the data (the control)", async () => {
    for (const path of reads()) {
      for (const name of FOREIGN_NAMES) {
        const answer = await rawRequest(port, "GET", path, rebound(name))
        expect([path, name, answer.status]).toEqual([path, name, 421])
        expect(answer.body).toContain("host_not_allowed")
        expect(answer.body).toContain(`127.0.0.1:${port}`)
        expect(answer.body).not.toContain("mock-key")
        expect(answer.body).not.toContain("private words")
      }
    }
    // Without Origin (curl), and with no port or another port: the same.
    for (const host of ["attacker.example", `attacker.example:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port}.attacker.example`])
      expect([host, (await rawRequest(port, "GET", "/config", { host })).status]).toEqual([host, 421])
    // The control: the provider's API key is in /config, and the session in the export.
    const config = await rawRequest(port, "GET", "/config", own)
    expect(config.status).toBe(200)
    expect(config.body).toContain("mock-key")
    const exported = await rawRequest(port, "GET", `/overlay/session/${sessionID}/export?format=json&toolDetails=1`, own)
    expect(exported.status).toBe(200)
    expect(exported.body).toContain("private words")
    for (const name of ["localhost", "[::1]"]) expect((await rawRequest(port, "GET", "/config", { host: `${name}:${port}` })).status).toBe(200)
  })

  test("a shell command POSTed by a rebound page does not run; the server's own page runs it (the control)", async () => {
    const shell = (marker: string, type = "application/json") =>
      [`/session/${sessionID}/shell`, JSON.stringify({ agent: "build", command: `touch ${marker}` }), type] as const
    for (const name of FOREIGN_NAMES.slice(0, 3)) {
      for (const type of ["application/json", "text/plain"]) {
        const marker = join(sandbox.root, `rebound-${name}-${type.replace("/", "-")}`)
        const [path, body] = shell(marker, type)
        const answer = await rawRequest(port, "POST", path, { ...rebound(name), "content-type": type }, body)
        expect([name, type, answer.status]).toEqual([name, type, 421])
        expect(existsSync(marker)).toBe(false)
      }
    }
    // A page of another origin on the right name: refused by its Origin.
    const foreign = join(sandbox.root, "foreign-origin")
    const [path, body] = shell(foreign)
    for (const origin of ["http://attacker.example", `http://127.0.0.1:${port + 1}`, "null"]) {
      const answer = await rawRequest(port, "POST", path, { host: own.host, origin, "content-type": "application/json" }, body)
      expect([origin, answer.status, answer.body.includes("cross_origin")]).toEqual([origin, 403, true])
    }
    const control = join(sandbox.root, "control")
    const allowed = await rawRequest(port, "POST", shell(control)[0], { ...own, "content-type": "application/json" }, shell(control)[1])
    expect(allowed.status).toBe(200)
    expect(await waitFor(() => existsSync(control))).toBe(true)
    expect(existsSync(foreign)).toBe(false)
  })

  test("the terminal's WebSocket: refused for a rebound name or a foreign origin; opened for the server's own page (the control)", async () => {
    const created = await rawRequest(port, "POST", `/pty?directory=${encodeURIComponent(sandbox.project)}`, { ...own, "content-type": "application/json" }, "{}")
    expect(created.status).toBe(200)
    const pty = (JSON.parse(created.body) as { id: string }).id
    const upgrade = (headers: Record<string, string>) =>
      rawRequest(
        port,
        "GET",
        `/pty/${pty}/connect?directory=${encodeURIComponent(sandbox.project)}&cursor=0`,
        { ...headers, upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
        "",
        5_000,
      )
    expect((await upgrade(rebound("attacker.example"))).status).toBe(421)
    expect((await upgrade({ host: own.host, origin: "http://attacker.example" })).status).toBe(403)
    expect((await upgrade({ host: own.host, origin: `http://localhost:${port + 1}` })).status).toBe(403)
    expect((await upgrade(own)).status).toBe(101)
  })
})

describe("the proxy reaches only the runtime", () => {
  test("targets that name another host are a 400, and that host sees nothing: neither the request nor the runtime's password", async () => {
    const capture = sandbox.capture
    const other = `127.0.0.1:${portOf(capture.url)}`
    const before = capture.requests.length
    for (const target of [
      `//${other}/x`,
      `///${other}/x`,
      `/\\${other}/x`,
      `/\\\\${other}/x`,
      `/%2F${other}/x`,
      `/%2f%2f${other}/x`,
      `/%5C${other}/x`,
      `/%5c%5c${other}/x`,
      `/%252F%252F${other}/x`,
    ]) {
      for (const method of ["GET", "POST"]) {
        const answer = await rawRequest(port, method, target, own)
        expect([method, target, answer.status]).toEqual([method, target, 400])
        expect(answer.body).toContain("bad_request_target")
      }
    }
    // An absolute-form target: Bun keeps only its path, which the runtime answers itself.
    for (const target of [`http://${other}/x`, `http://${other}//x`, `ws://${other}/x`]) {
      const answer = await rawRequest(port, "GET", target, own)
      expect([target, answer.status < 500]).toEqual([target, true])
    }
    // A control character, however encoded: refused before any route (a NUL made the session logs' file lookup fail with a 500).
    for (const target of ["/logs/assets/%00", "/session%00", "/a%250Ab"]) expect([target, (await rawRequest(port, "GET", target, own)).status]).toEqual([target, 400])
    // A WebSocket to another host.
    const socket = await rawRequest(port, "GET", `//${other}/x`, { ...own, upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" })
    expect(socket.status).toBe(400)
    expect(capture.requests.length).toBe(before)
    // The control: the capture server records what reaches it (a request made to it directly).
    await fetch(`${capture.url}/x`)
    expect(capture.requests.slice(before).map((r) => r.path)).toEqual(["/x"])
  })
})

describe("the share route in every spelling the runtime routes", () => {
  const spellings = (id: string) => [
    `/session/${id}/share`,
    `/session/${id}/SHARE`,
    `/Session/${id}/share`,
    `//session/${id}/share`,
    `/session//${id}/share`,
    `/session/${id}//share`,
    `/session/${id}/share/`,
    `/session/${id}/share;x=1`,
    `/session/${id}/%73hare`,
    `/%73ession/${id}/share`,
    `/session/${id}/shar%65?directory=${encodeURIComponent(sandbox.project)}`,
  ]

  test("each is 403 share_disabled from the overlay, and the share host sees nothing; each reaches the bare runtime's share handler (the control)", async () => {
    const before = sandbox.capture.requests.length
    for (const path of spellings(sessionID)) {
      if (path.startsWith("//")) {
        // Two leading slashes are refused before any route: the path names a host.
        expect((await rawRequest(port, "POST", path, own)).status).toBe(400)
        continue
      }
      for (const method of ["POST", "DELETE", "PUT"]) {
        const answer = await rawRequest(port, method, path, own)
        expect([method, path, answer.status]).toEqual([method, path, 403])
        expect(answer.body).toContain("share_disabled")
      }
    }
    expect(sandbox.capture.requests.length).toBe(before)

    // The control: the runtime alone (sharing disabled in its config) routes each spelling to its share handler,
    // which fails with a 500 instead of publishing; without the overlay's match, these would reach it.
    sandbox.writeProjectConfig({ share: "disabled" })
    const bare = await sandbox.serve({ via: "bare" })
    const barePort = portOf(bare.url)
    for (const path of spellings(sessionID)) {
      const answer = await rawRequest(barePort, "POST", path, { host: `127.0.0.1:${barePort}` })
      expect([path, answer.status]).toEqual([path, 500])
    }
    // An encoded ?, #, ; or / after the id stays in the router's parameter: the share handler gets the id with it.
    for (const [suffix, id] of [
      ["%3F", `${sessionID}?`],
      ["%23", `${sessionID}#`],
      ["%3Bx", `${sessionID};x`],
      ["%2Fx", `${sessionID}/x`],
    ]) {
      const path = `/session/${sessionID}${suffix}/share`
      const overlay = await rawRequest(port, "POST", path, own)
      expect([path, overlay.status]).toEqual([path, 403])
      const alone = await rawRequest(barePort, "POST", path, { host: `127.0.0.1:${barePort}` })
      expect([path, alone.status, alone.body.includes(`Session not found: ${id}`)]).toEqual([path, 404, true])
    }
    await bare.stop()
    expect(sandbox.capture.requests.filter((r) => r.path.startsWith("/api/share"))).toEqual([])
  })
})

describe("answers", () => {
  test("the app's page, the API and the session logs carry the browser headers; session data is not cached", async () => {
    for (const path of ["/", "/session", "/overlay/sessions", "/logs/"]) {
      const answer = await rawRequest(port, "GET", path, own)
      expect([path, answer.status]).toEqual([path, 200])
      expect(answer.headers["x-content-type-options"]).toBe("nosniff")
      expect(answer.headers["referrer-policy"]).toBe("no-referrer")
      expect(answer.headers["x-frame-options"]).toBe("SAMEORIGIN")
      expect(answer.headers["cache-control"]).toBe("no-store")
      if (path === "/" || path === "/logs/") expect(answer.headers["content-security-policy"]).toContain("frame-ancestors 'self'")
    }
  })
})
