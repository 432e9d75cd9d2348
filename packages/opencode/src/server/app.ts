import { isAbsolute } from "node:path"
import { Hono, type Context } from "hono"
import { serveStatic } from "hono/bun"
import { HTTPException } from "hono/http-exception"
import { validator } from "hono/validator"
import { policyJson, type SharePolicy } from "../config/policy.ts"
import { EXPORT_FORMATS, type ExportFormat, type ExportOptions } from "../export/document/choices.ts"
import { UsageError } from "../errors/usage.ts"
import { shareGuard } from "../share/http-guard.ts"
import { readSearch, type SearchAnswer, type SearchRequest } from "../history/request.ts"
import { httpError } from "./http-error.ts"
import type { HostAllowList } from "../http/hosts.ts"
import { forward, type RuntimeEndpoint } from "./proxy.ts"
import { namesProjectFiles } from "../http/route-path.ts"
import { passwordGate } from "./password-gate.ts"
import { outsideLinkGuard, requestGuard, type KnownFolder } from "./request-guard.ts"
import { responseHeaders } from "./response-headers.ts"
import { acceptWebSocket } from "./websocket-proxy.ts"
import { OVERLAY_VERSION } from "../version.ts"
import type { SessionListItem } from "../storage/session-list.ts"

export type ExportedFile = { readonly fileName: string; readonly contentType: string; readonly body: Uint8Array | string }

/** The server's work, each rejecting with an `HTTPException` (see `httpError`) when it fails. */
export type AppDeps = {
  readonly runtime: RuntimeEndpoint
  /** The names this server answers to (`http/hosts.ts`): every other Host and Origin is refused. */
  readonly hosts: HostAllowList
  /** Whether the runtime has had a session in a folder: a link from outside the browser opens only those. */
  readonly knownFolder: KnownFolder
  /** The policy of a project directory (`undefined`: where the server was started). */
  readonly policyFor: (directory?: string) => SharePolicy
  readonly sessions: () => Promise<ReadonlyArray<SessionListItem>>
  readonly revoke: (sessionID: string) => Promise<{ readonly url: string }>
  /** Full text over every session (`history/`): the index brought up to date, then searched. */
  readonly search: (request: SearchRequest) => Promise<SearchAnswer>
  readonly exportSession: (sessionID: string, options: ExportOptions) => Promise<ExportedFile>
  readonly commands: (policy: SharePolicy) => unknown
  /** Built web app (`packages/app/dist`): the session-log browser at `/logs/` and the addition to the runtime's app; absent: `/logs/` explains how to build it. */
  readonly assets?: string
  readonly password?: string
  /** The clock of the password's limit on wrong guesses (tests move it). */
  readonly now?: () => number
  /** The pinned runtime's version: the addition to its app says which one it was written for. */
  readonly runtimeVersion: string
}

const flag = (value: string | undefined) => value !== undefined && value !== "false" && value !== "0"

/** `?format=…&thinking=1&toolDetails=1&diffs=1`, checked; a bad format is a 400. */
const exportQuery = validator("query", (query): ExportOptions => {
  const one = (name: string) => {
    const value = query[name]
    return Array.isArray(value) ? value[0] : value
  }
  const format = one("format") ?? "markdown"
  if (!(EXPORT_FORMATS as ReadonlyArray<string>).includes(format))
    throw httpError(new UsageError({ message: `format must be ${EXPORT_FORMATS.map((f) => JSON.stringify(f)).join(" or ")}, not ${JSON.stringify(format)}` }))
  return { format: format as ExportFormat, thinking: flag(one("thinking")), toolDetails: flag(one("toolDetails")), diffs: flag(one("diffs")) }
})

/** `?q=…&project=…&since=…&session=…&role=…&tool=…&limit=…`, read as the CLI reads its options; bad input is a 400 saying why. */
const searchQuery = validator("query", (query): SearchRequest => {
  const one = (name: string) => {
    const value = query[name]
    return Array.isArray(value) ? value[0] : value
  }
  const fields = ["q", "project", "since", "session", "role", "tool", "limit"] as const
  const input: Record<string, string> = {}
  for (const field of fields) {
    const value = one(field)
    if (value !== undefined) input[field] = value
  }
  const request = readSearch(input, {
    now: Date.now(),
    name: (field) => field,
    // A folder named in a URL must be absolute: the server's own folder means nothing to the page.
    folder: (path) => (isAbsolute(path) ? path : `/${path}`),
  })
  if ("problem" in request) throw httpError(new UsageError({ message: request.problem }))
  return request
})

export function makeApp(deps: AppDeps): Hono {
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    return c.json({ error: "internal", message: "The overlay server failed to answer this request." }, 500)
  })

  app.use(...responseHeaders)
  // Before the password: a page on a foreign name must not even get the browser's password prompt.
  app.use(requestGuard(deps.hosts))
  // The password on every route when one is set (required to bind anything but loopback).
  if (deps.password) app.use(passwordGate(deps.password, deps.now ? { now: deps.now } : {}))
  app.use(outsideLinkGuard(deps.knownFolder))
  app.use(shareGuard((directory) => deps.policyFor(directory)))
  app.use(acceptWebSocket(deps.runtime))

  app.get("/overlay/policy", (c) => c.json(policyJson(deps.policyFor(c.req.query("directory")))))
  app.get("/overlay/sessions", async (c) => c.json(await deps.sessions()))
  app.get("/overlay/commands", (c) => c.json(deps.commands(deps.policyFor(c.req.query("directory")))))
  app.get("/overlay/session/:id/export", exportQuery, async (c) => {
    const file = await deps.exportSession(c.req.param("id"), c.req.valid("query"))
    return c.body(typeof file.body === "string" ? file.body : (file.body as Uint8Array<ArrayBuffer>), 200, {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${safeFileName(file.fileName)}"`,
      "cache-control": "no-store",
    })
  })
  app.get("/overlay/search", searchQuery, async (c) => c.json(await deps.search(c.req.valid("query"))))
  app.post("/overlay/session/:id/revoke", async (c) => c.json({ revoked: c.req.param("id"), ...(await deps.revoke(c.req.param("id"))) }))
  app.all("/overlay/*", (c) => c.json({ error: "not_found", message: `No overlay route ${c.req.method} ${c.req.path}` }, 404))

  // The overlay's session-log browser, at /logs/ (its asset URLs are relative).
  const assets = deps.assets
  const notBuilt = (c: Context) => c.html(NOT_BUILT, 503)
  const fromLogs = (path: string) => path.replace(/^\/logs/, "")
  app.get("/logs", (c) => c.redirect("/logs/", 301))
  if (assets) {
    const page = serveStatic({ root: assets, path: "index.html", onFound: (_path, c) => void c.header("cache-control", "no-store") })
    app.get("/logs/", page, notBuilt)
    app.get("/logs/index.html", page, notBuilt)
    // Linked as `addon.js?v=<runtime>-<overlay>`: a new version is a new URL.
    app.get("/logs/addon.js", serveStatic({ root: assets, path: "addon.js", onFound: (_path, c) => void c.header("cache-control", "no-cache") }))
    app.get(
      "/logs/assets/*",
      serveStatic({
        root: assets,
        rewriteRequestPath: fromLogs,
        onFound: (_path, c) => void c.header("cache-control", "public, max-age=31536000, immutable"),
      }),
    )
  }
  app.all("/logs/*", (c) => (assets ? c.json({ error: "not_found", message: `No file ${c.req.path}` }, 404) : notBuilt(c)))

  // Everything else is the runtime's own: its API and its web app, proxied unchanged, but
  // for one script tag added to the app's page (the export control, see packages/app/src/addon),
  // never to a project's HTML file the runtime serves as it is.
  app.all("*", async (c) => {
    const answer = await forward(c, deps.runtime)
    if (c.req.method !== "GET" || !answer.headers.get("content-type")?.startsWith("text/html") || namesProjectFiles(new URL(c.req.url).pathname))
      return answer
    const headers = new Headers(answer.headers)
    headers.delete("content-length")
    headers.set("cache-control", "no-store")
    return new Response(withAddon(await answer.text(), deps.runtimeVersion), { status: answer.status, statusText: answer.statusText, headers })
  })
  return app
}

/**
 * The runtime's page with the overlay's addition loaded after the app's own
 * script. A page without a `</head>` is left as it is: the app works without
 * the addition, and the export stays at /logs/.
 */
export function withAddon(html: string, runtimeVersion: string): string {
  const at = html.lastIndexOf("</head>")
  if (at < 0) return html
  const version = encodeURIComponent(`${runtimeVersion}-${OVERLAY_VERSION}`)
  const tag = `<script type="module" src="/logs/addon.js?v=${version}" data-runtime-version="${encodeURIComponent(runtimeVersion)}"></script>`
  return `${html.slice(0, at)}${tag}\n${html.slice(at)}`
}

/** A file name safe in a Content-Disposition header and on every file system. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "")
  return cleaned.length > 0 ? cleaned.slice(0, 120) : "session-export"
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>opencode</title>
<p>The web app is not built. Run <code>npx -y bun@1.4.5 run build</code> in the repository, then reload.</p>`
