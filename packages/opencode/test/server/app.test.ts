/**
 * The overlay server's app without a network in front of it (`app.request()`),
 * against a stand-in runtime on loopback that records what reaches it: which
 * requests the app refuses, what it passes on, and the headers it answers with.
 * The end-to-end tests run the same against the real runtime.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { SharePolicy } from "../../src/config/policy.ts"
import { hostAllowList } from "../../src/http/hosts.ts"
import { makeApp, type AppDeps } from "../../src/server/app.ts"
import { GUESS_WINDOW_MS, GUESSES_PER_WINDOW } from "../../src/server/password-gate.ts"
import { SANDBOX_CSP } from "../../src/server/response-headers.ts"

type Seen = {
  readonly method: string
  readonly url: string
  readonly authorization: string | null
  readonly host: string | null
  readonly headers: Readonly<Record<string, string>>
}

const headersOf = (request: Request) => {
  const out: Record<string, string> = {}
  request.headers.forEach((value, name) => (out[name] = value))
  return out
}

/** A loopback server standing in for the runtime, or for a host an attacker wants the proxy to reach. */
function recorder(page = "<!doctype html><html><head><title>runtime</title></head><body></body></html>") {
  const seen: Seen[] = []
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) => {
      seen.push({
        method: request.method,
        url: new URL(request.url).pathname + new URL(request.url).search,
        authorization: request.headers.get("authorization"),
        host: request.headers.get("host"),
        headers: headersOf(request),
      })
      const path = new URL(request.url).pathname
      if (path === "/page") return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } })
      if (path === "/page-with-csp")
        return new Response(page, { headers: { "content-type": "text/html", "content-security-policy": "script-src 'self'" } })
      // A project's file, as the runtime's /api/fs/read serves it: typed by its extension.
      if (path.endsWith(".svg")) return new Response("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", { headers: { "content-type": "image/svg+xml" } })
      if (path.endsWith(".txt")) return new Response("words", { headers: { "content-type": "text/plain" } })
      if (path.endsWith(".html")) return new Response(page, { headers: { "content-type": "text/html" } })
      return Response.json({ path })
    },
  })
  return { seen, url: `http://127.0.0.1:${server.port}`, port: server.port!, stop: () => server.stop(true) }
}

const project = { kind: "project", path: "/repo/opencode.json" } as const
const disabled: SharePolicy = { mode: "disabled", source: project, overridden: [], problems: [] }

/** The folders the runtime has had sessions in. */
const KNOWN_FOLDERS = ["/home/ada/app"]

const PORT = 4096
const ORIGIN = `http://127.0.0.1:${PORT}`
const RUNTIME_AUTH = "Basic cnVudGltZTpzZWNyZXQ="

let runtime: ReturnType<typeof recorder>
let elsewhere: ReturnType<typeof recorder>
let app: ReturnType<typeof makeApp>
let deps: AppDeps
const revoked: string[] = []

beforeAll(() => {
  runtime = recorder()
  elsewhere = recorder()
  deps = {
    runtime: { url: runtime.url, authorization: RUNTIME_AUTH },
    hosts: hostAllowList({ hostname: "127.0.0.1", port: PORT }, { added: [{ name: "opencode.example.com" }] }),
    knownFolder: async (folder) => KNOWN_FOLDERS.includes(folder),
    policyFor: () => disabled,
    sessions: async () => [],
    revoke: async (id) => {
      revoked.push(id)
      return { url: "https://share.example/s/1" }
    },
    exportSession: async () => ({ fileName: "x.md", contentType: "text/markdown; charset=utf-8", body: "# x\n" }),
    commands: () => [],
    search: async (request) => ({ query: request.query, hits: [] }),
    runtimeVersion: "1.18.33",
  }
  app = makeApp(deps)
})

afterAll(() => {
  runtime.stop()
  elsewhere.stop()
})

/** A request as a browser or a client would send it to the server at `127.0.0.1:4096`, `Host` included. */
const send = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  app.request(`${ORIGIN}${path}`, { method: init.method ?? "GET", headers: { host: `127.0.0.1:${PORT}`, ...init.headers }, body: init.body })

describe("the request guard", () => {
  test("a request for another name (DNS rebinding) is refused with 421 and a reason, whatever it asks; nothing reaches the runtime", async () => {
    const before = runtime.seen.length
    for (const [method, path] of [
      ["GET", "/config"],
      ["GET", "/session"],
      ["GET", "/overlay/sessions"],
      ["POST", "/session/ses_1/shell"],
      ["POST", "/overlay/session/ses_1/revoke"],
    ] as const) {
      const response = await send(path, { method, headers: { host: `attacker.example:${PORT}`, origin: `http://attacker.example:${PORT}` } })
      expect([path, response.status]).toEqual([path, 421])
      const body = await response.json()
      expect(body.error).toBe("host_not_allowed")
      expect(body.message).toContain(`127.0.0.1:${PORT}, localhost:${PORT}, [::1]:${PORT}`)
      expect(body.message).toContain("--allow-host")
    }
    expect(runtime.seen.length).toBe(before)
    expect(revoked).toEqual([])
    // The control: the same requests with this server's own name pass.
    expect((await send("/config")).status).toBe(200)
    expect((await send("/overlay/sessions")).status).toBe(200)
    expect(runtime.seen.at(-1)?.url).toBe("/config")
  })

  test("a name added with --allow-host is answered", async () => {
    expect((await send("/config", { headers: { host: "opencode.example.com", origin: "https://opencode.example.com" } })).status).toBe(200)
  })

  test("an Origin of another page is refused for every method; this server's own origin passes", async () => {
    for (const method of ["GET", "POST", "DELETE", "PUT"]) {
      for (const origin of ["http://attacker.example", `http://127.0.0.1:${PORT + 1}`, "null", `http://localhost:${PORT}.attacker.example`]) {
        const response = await send("/session", { method, headers: { origin } })
        expect([method, origin, response.status]).toEqual([method, origin, 403])
        expect((await response.json()).error).toBe("cross_origin")
      }
    }
    expect((await send("/session", { method: "POST", headers: { origin: ORIGIN } })).status).toBe(200)
    expect((await send("/session", { method: "POST", headers: { origin: `http://localhost:${PORT}` } })).status).toBe(200)
  })

  test("a link from another site is never followed: whatever it names, the overlay answers with its own page, and nothing reaches the runtime", async () => {
    const navigate = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" }
    const before = runtime.seen.length
    // The app at a path naming a folder (base64url of node_modules/evilpkg), a project's file, an API route, the start page.
    for (const path of ["/bm9kZV9tb2R1bGVzL2V2aWxwa2c/session", "/api/fs/read/poc.svg", "/mcp?directory=..%2F..%2Fvictim", "/", "/page-with-csp"]) {
      for (const site of ["cross-site", "same-site"]) {
        const response = await send(path, { headers: { ...navigate, "sec-fetch-site": site } })
        expect([path, site, response.status]).toEqual([path, site, 403])
        expect(response.headers.get("content-type")).toStartWith("text/html")
        expect(response.headers.get("content-security-policy")).toContain("default-src 'none'")
        const page = await response.text()
        expect(page).toContain('<a href="/">')
        expect(page).not.toContain("<script")
      }
    }
    const upgrade = await send("/pty/pty_1/connect", { headers: { ...navigate, upgrade: "websocket", connection: "Upgrade" } })
    expect(upgrade.status).toBe(403)
    expect(runtime.seen.length).toBe(before)
    // The control: the user's own navigation (an address typed) reaches the app.
    expect((await send("/page-with-csp", { headers: { ...navigate, "sec-fetch-site": "none" } })).status).toBe(200)
  })

  test("a navigation the browser says nobody sent (Sec-Fetch-Site: none, also after another site's redirect) to a folder the runtime does not know gets the overlay's page; known folders and paths naming none pass", async () => {
    const opened = { "sec-fetch-site": "none", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-fetch-user": "?1" }
    const app = (folder: string) => `/${Buffer.from(folder).toString("base64url")}/session`
    const before = runtime.seen.length
    for (const path of [
      `/mcp?directory=${encodeURIComponent("/home/ada/downloads/evil")}`,
      `/config?location%5Bdirectory%5D=${encodeURIComponent("/tmp/evil")}`,
      app("/home/ada/downloads/evil"),
      // In standard base64, padded; and percent-encoded.
      `/${Buffer.from("/home/ada/downloads/evil?").toString("base64")}/session`,
      `/${encodeURIComponent(Buffer.from("/home/ada/downloads/evil").toString("base64url")).replace("L", "%4C")}/session`,
      // As the app decodes it (TextDecoder): a byte-order mark first is dropped, a control character or broken UTF-8 kept.
      `/${Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("/home/ada/downloads/evil")]).toString("base64url")}/session`,
      app("/home/ada/downloads/evil\x01"),
      `/${Buffer.concat([Buffer.from("/home/ada/downloads/evil"), Buffer.from([0xff])]).toString("base64url")}/session`,
      // The runtime's project for sessions outside any repository has `/` as its folder: nobody chose it.
      `/mcp?directory=${encodeURIComponent("/")}`,
    ]) {
      const response = await send(path, { headers: opened })
      expect([path, response.status]).toEqual([path, 403])
      const page = await response.text()
      expect(page).toContain("A link to a folder OpenCode does not know")
      expect(page).toContain('<a href="/">')
    }
    expect(runtime.seen.length).toBe(before)
    // The controls: the user's own folder (a bookmark, a reload), the start page, and paths that name no folder.
    for (const path of [`/mcp?directory=${encodeURIComponent("/home/ada/app")}`, app("/home/ada/app"), "/", "/session", "/page"])
      expect([path, (await send(path, { headers: opened })).status]).toEqual([path, 200])
    // The session logs' page (here: not built, so the page that says so).
    expect(await (await send("/logs/", { headers: opened })).text()).not.toContain("OpenCode does not know")
    // The same unknown folder asked for by this origin's own page (the app opening a folder the user chose).
    expect((await send(app("/home/ada/downloads/evil"), { headers: { ...opened, "sec-fetch-site": "same-origin" } })).status).toBe(200)
    // With a password, the check comes after it: without the password, a known and an unknown folder get the same answer.
    const secured = makeApp({ ...deps, password: "correct horse" })
    const ask = async (folder: string) =>
      (await secured.request(`${ORIGIN}/mcp?directory=${encodeURIComponent(folder)}`, { headers: { host: `127.0.0.1:${PORT}`, ...opened } })).status
    expect([await ask("/home/ada/app"), await ask("/home/ada/downloads/evil")]).toEqual([401, 401])
  })

  test("a prefetch or prerender is answered only to this origin's own pages (the browser says `none` for one another page asked for)", async () => {
    const before = runtime.seen.length
    for (const purpose of ["prefetch;prerender", "prefetch", "prefetch;anonymous-client-ip"]) {
      const response = await send("/mcp?directory=%2Fhome%2Fada%2Fapp", { headers: { "sec-fetch-site": "none", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-purpose": purpose } })
      expect([purpose, response.status]).toEqual([purpose, 403])
      expect((await response.json()).message).toContain("prefetch or prerender")
    }
    expect(runtime.seen.length).toBe(before)
    expect((await send("/session", { headers: { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-purpose": "prefetch" } })).status).toBe(200)
  })

  test("a project folder a request names must be an absolute path (the runtime resolves a relative one against its own folder)", async () => {
    const before = runtime.seen.length
    for (const [path, headers] of [
      ["/mcp?directory=node_modules%2Fevilpkg", {}],
      ["/config?directory=..%2F..%2Fvictim", {}],
      ["/api/session?location%5Bdirectory%5D=victim", {}],
      ["/session", { "x-opencode-directory": encodeURIComponent("../victim") }],
    ] as const) {
      const response = await send(path, { headers })
      expect([path, response.status]).toEqual([path, 400])
      expect((await response.json()).message).toContain("is not an absolute path")
    }
    expect(runtime.seen.length).toBe(before)
    expect((await send("/config?directory=%2Fhome%2Fada%2Fapp", { headers: { "x-opencode-directory": encodeURIComponent("/home/ada/app") } })).status).toBe(200)
  })

  test("a project's file is never served as a script, a style, a worker or a frame, in any spelling the runtime routes; as an image it is", async () => {
    // The runtime routes paths in any case and percent-encoded (http/route-path.ts).
    const spellings = ["/api/fs/read/g.js", "/API/fs/read/g.js", "/api/FS/read/g.js", "/%61pi/fs/read/g.js", "/api//fs/read/g.js", "/file/content?path=g.js", "/File/content?path=g.js", "/FILE"]
    const before = runtime.seen.length
    for (const path of spellings) {
      for (const dest of ["script", "style", "worker", "iframe", "object"]) {
        const response = await send(path, { headers: { "sec-fetch-site": "same-origin", "sec-fetch-mode": "no-cors", "sec-fetch-dest": dest } })
        expect([path, dest, response.status]).toEqual([path, dest, 403])
      }
    }
    expect(runtime.seen.length).toBe(before)
    // The control: the same spellings as an image reach the runtime.
    for (const path of spellings)
      expect([path, (await send(path, { headers: { "sec-fetch-site": "same-origin", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" } })).status]).toEqual([path, 200])
  })

  test("a browser at a name that is not loopback, without Fetch Metadata (plain HTTP on the network), is refused; on loopback, over HTTPS and from other clients it is served", async () => {
    const browser = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" }
    const network = { ...browser, host: "opencode.example.com" }
    const before = runtime.seen.length
    // A link of another site (a navigation), and an image or a script of one: neither says where it came from.
    const page = await send("/mcp?directory=%2Fhome%2Fada%2Fdownloads", { headers: { ...network, accept: "text/html,application/xhtml+xml", "upgrade-insecure-requests": "1" } })
    expect(page.status).toBe(403)
    expect(page.headers.get("content-type")).toStartWith("text/html")
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'")
    const text = await page.text()
    expect(text).toContain("Not over plain HTTP")
    expect(text).toContain("--allow-host")
    expect(text).not.toContain("<script")
    for (const [path, accept] of [["/mcp?directory=%2Fhome%2Fada%2Fdownloads", "image/avif,image/webp,*/*"], ["/session", "*/*"]] as const) {
      const response = await send(path, { headers: { ...network, accept } })
      expect([path, response.status]).toEqual([path, 403])
      const body = await response.json()
      expect(body.error).toBe("cross_origin")
      expect(body.message).toContain("SSH tunnel")
    }
    expect(runtime.seen.length).toBe(before)
    // The controls: the same browser on loopback, the same name with Fetch Metadata (HTTPS through a proxy), and a client that is not a browser.
    expect((await send("/session", { headers: browser })).status).toBe(200)
    expect((await send("/session", { headers: { ...network, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } })).status).toBe(200)
    expect((await send("/session", { headers: { host: "opencode.example.com", "user-agent": "curl/8.5.0" } })).status).toBe(200)
  })

  test("Fetch Metadata: a subresource another site made the browser load is refused; navigations and this origin's requests pass", async () => {
    const crossSite = await send("/session", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "script" } })
    expect(crossSite.status).toBe(403)
    // Another port of 127.0.0.1 is the same site, not the same origin.
    const sameSite = await send("/session", { headers: { "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" } })
    expect(sameSite.status).toBe(403)
    const framed = await send("/", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "iframe" } })
    expect(framed.status).toBe(403)
    for (const headers of [
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" },
      { "sec-fetch-site": "none", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" },
    ])
      expect((await send("/session", { headers })).status).toBe(200)
  })

  test("a target that names another host is a 400: the other host sees nothing and never the runtime's password", async () => {
    const other = `127.0.0.1:${elsewhere.port}`
    for (const path of [`//${other}/x`, `/%2F${other}/x`, `/%2f%2f${other}/x`, `/%5C${other}/x`, `/%252F%252F${other}/x`]) {
      const response = await send(path)
      expect([path, response.status]).toEqual([path, 400])
      expect((await response.json()).error).toBe("bad_request_target")
    }
    expect(elsewhere.seen).toEqual([])
    // The control: a plain path reaches the runtime, with the runtime's password and not the caller's.
    await send(`/x/${other}/y`, { headers: { authorization: "Basic Y2FsbGVyOnBhc3M=" } })
    expect(runtime.seen.at(-1)).toMatchObject({ url: `/x/${other}/y`, authorization: RUNTIME_AUTH })
  })

  test("a control character in the path (a NUL, a newline, however encoded) is a 400", async () => {
    for (const path of ["/logs/assets/%00", "/session%0d%0aX-Injected:%201", "/a%2500b"]) expect([path, (await send(path)).status]).toEqual([path, 400])
  })

  test("headers of this hop are not passed on: Connection, what it names, Upgrade, TE, Proxy-Authorization", async () => {
    await send("/config", {
      headers: { connection: "Upgrade, HTTP2-Settings, X-Named", upgrade: "h2c", "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA", "x-named": "1", te: "trailers", "proxy-authorization": "Basic eA==", "x-kept": "1" },
    })
    const headers = runtime.seen.at(-1)!.headers
    for (const name of ["upgrade", "http2-settings", "x-named", "te", "proxy-authorization"]) expect([name, headers[name]]).toEqual([name, undefined])
    // The proxy's own connection to the runtime has a Connection header of its own; the caller's is not it.
    expect(headers.connection ?? "").not.toMatch(/upgrade|http2|x-named/i)
    expect(headers["x-kept"]).toBe("1")
  })
})

describe("the share guard, as the runtime routes", () => {
  test("every spelling of the share route is a 403 share_disabled; nothing reaches the runtime", async () => {
    const before = runtime.seen.length
    for (const path of ["/session/ses_1/share", "/session/ses_1/SHARE", "/Session/ses_1/share", "/session//ses_1/share", "/session/ses_1/share;x=1", "/session/ses_1/%73hare", "/session/ses_1/share/"]) {
      for (const method of ["POST", "DELETE", "PUT", "PATCH"]) {
        const response = await send(path, { method, headers: { origin: ORIGIN } })
        expect([method, path, response.status]).toEqual([method, path, 403])
        expect((await response.json()).error).toBe("share_disabled")
      }
    }
    expect(runtime.seen.length).toBe(before)
  })
})

describe("answers", () => {
  test("every answer says nosniff, no-referrer and same-origin framing; session data is not cached", async () => {
    for (const path of ["/session", "/overlay/sessions", "/overlay/policy", "/nope-overlay-route"]) {
      const response = await send(path)
      expect(response.headers.get("x-content-type-options")).toBe("nosniff")
      expect(response.headers.get("referrer-policy")).toBe("no-referrer")
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN")
      expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin")
      expect(response.headers.get("cache-control")).toBe("no-store")
    }
    // Refusals too.
    const refused = await send("/session", { headers: { host: "attacker.example" } })
    expect(refused.headers.get("x-content-type-options")).toBe("nosniff")
  })

  test("the runtime's app keeps its policy and may not be framed by another site; any other document of the runtime's is sandboxed", async () => {
    const own = await send("/page-with-csp")
    expect(own.headers.get("content-security-policy")).toBe("script-src 'self', frame-ancestors 'self'")
    expect(await own.text()).toContain('<script type="module" src="/logs/addon.js')
    // A project's HTML file is shown as it is on disk: nothing of the overlay's added.
    for (const path of ["/api/fs/read/notes.html", "/API/fs/read/notes.html", "/file/notes.html"]) expect([path, await (await send(path)).text()]).toEqual([path, "<!doctype html><html><head><title>runtime</title></head><body></body></html>"])
    // A project's SVG or HTML file: shown, never run, in an origin of its own.
    for (const path of ["/api/fs/read/poc.svg", "/page"]) {
      const response = await send(path)
      expect([path, response.headers.get("content-security-policy")]).toEqual([path, SANDBOX_CSP])
    }
    expect((await send("/api/fs/read/notes.txt")).headers.get("content-security-policy")).toBeNull()
  })
})

describe("the search route", () => {
  test("bad input is a 400 saying what is wrong; a good one reaches the search", async () => {
    for (const [query, said] of [
      ["", "say what to search for"],
      ["?q=-only", "only leaves words out"],
      ["?q=%22open", "is not closed"],
      ["?q=x&limit=0", "limit must be a whole number from 1 to 500"],
      ["?q=x&limit=9999", "limit must be a whole number from 1 to 500"],
      ["?q=x&role=robot", "role must be one of user, assistant, tool"],
      ["?q=x&since=soon", 'since "soon" is not'],
      ["?q=x&project=", "project needs a value"],
    ] as const) {
      const response = await send(`/overlay/search${query}`)
      const body = (await response.json()) as { error: string; message: string }
      expect([query, response.status, body.error, body.message]).toEqual([query, 400, "bad_request", expect.stringContaining(said)])
    }
    const ok = await send("/overlay/search?q=deploy%20key")
    expect([ok.status, await ok.json()]).toEqual([200, { query: "deploy key", hits: [] }])
  })

  test("another site cannot read it: a request from another page's origin, or for another name, is refused", async () => {
    expect((await send("/overlay/search?q=key", { headers: { origin: "https://attacker.example" } })).status).toBe(403)
    expect((await send("/overlay/search?q=key", { headers: { host: "attacker.example" } })).status).toBe(421)
  })
})

describe("the password", () => {
  test("wrong guesses: ten per address and minute, then 429 until the minute ends (the right password too); another address still signs in", async () => {
    let clock = 1_000_000
    const secured = makeApp({ ...deps, password: "correct horse", now: () => clock })
    const from = (address: string, password: string) =>
      secured.request(
        `${ORIGIN}/session`,
        { headers: { host: `127.0.0.1:${PORT}`, authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}` } },
        { requestIP: () => ({ address, family: "IPv4", port: 50_000 }) },
      )
    const attacker = "192.0.2.7"
    // Asking without a password (a browser before its prompt) is not a guess.
    const asking = () => secured.request(`${ORIGIN}/session`, { headers: { host: `127.0.0.1:${PORT}` } }, { requestIP: () => ({ address: attacker, family: "IPv4", port: 50_000 }) })
    for (let i = 0; i < 2 * GUESSES_PER_WINDOW; i++) expect((await asking()).status).toBe(401)
    for (let i = 0; i < GUESSES_PER_WINDOW; i++) expect((await from(attacker, `guess ${i}`)).status).toBe(401)
    const refused = await from(attacker, "guess 10")
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBe(GUESS_WINDOW_MS / 1000)
    expect(await refused.json()).toMatchObject({ error: "too_many_password_guesses" })
    // Even the right password: else the limit would only slow the guessing down, not stop it.
    expect((await from(attacker, "correct horse")).status).toBe(429)
    // The control: the user at another address signs in meanwhile.
    expect((await from("192.0.2.8", "correct horse")).status).toBe(200)
    // The minute over, the address may try again.
    clock += GUESS_WINDOW_MS
    expect((await from(attacker, "correct horse")).status).toBe(200)
    expect((await from(attacker, "guess 11")).status).toBe(401)
  })
})
