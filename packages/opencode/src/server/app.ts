import { existsSync } from "node:fs"
import { join, normalize } from "node:path"
import { Hono, type Context } from "hono"
import { policyJson, type SharePolicy } from "../config/policy.ts"
import { shareGuard } from "../share/http-guard.ts"
import { forward, type RuntimeEndpoint } from "./proxy.ts"
import { basicAuth, sameOrigin } from "./security.ts"
import type { SessionSummary } from "./sessions.ts"

export type ExportFormat = "markdown" | "json"
export type ExportRequest = {
  readonly format: ExportFormat
  readonly thinking: boolean
  readonly toolDetails: boolean
  readonly diffs: boolean
}
export type ExportedFile = { readonly fileName: string; readonly contentType: string; readonly body: Uint8Array | string }

/** A failure the overlay routes report with a status that says what happened. */
export class HttpFailure extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 500 | 502,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export type AppDeps = {
  readonly runtime: RuntimeEndpoint
  /** The policy of a project directory (`undefined`: where the server was started). */
  readonly policyFor: (directory?: string) => SharePolicy
  readonly sessions: () => Promise<ReadonlyArray<SessionSummary>>
  readonly revoke: (sessionID: string) => Promise<{ readonly url: string }>
  readonly exportSession: (sessionID: string, request: ExportRequest) => Promise<ExportedFile>
  readonly commands: (policy: SharePolicy) => unknown
  /** Built web app (`packages/app/dist`); absent: `/` explains how to build it. */
  readonly assets?: string
  readonly password?: string
}

const flag = (value: string | undefined) => value !== undefined && value !== "false" && value !== "0"

export function makeApp(deps: AppDeps): Hono {
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof HttpFailure) return c.json({ error: error.code, message: error.message }, error.status)
    return c.json({ error: "internal", message: "The overlay server failed to answer this request." }, 500)
  })

  app.use(basicAuth(deps.password))
  app.use(sameOrigin)
  app.use(shareGuard((directory) => deps.policyFor(directory)))

  app.get("/overlay/policy", (c) => c.json(policyJson(deps.policyFor(c.req.query("directory")))))
  app.get("/overlay/sessions", async (c) => c.json(await deps.sessions()))
  app.get("/overlay/commands", (c) => c.json(deps.commands(deps.policyFor(c.req.query("directory")))))
  app.get("/overlay/session/:id/export", async (c) => {
    const format = c.req.query("format") ?? "markdown"
    if (format !== "markdown" && format !== "json")
      throw new HttpFailure(400, "bad_request", `format must be "markdown" or "json", not ${JSON.stringify(format)}`)
    const file = await deps.exportSession(c.req.param("id"), {
      format,
      thinking: flag(c.req.query("thinking")),
      toolDetails: flag(c.req.query("toolDetails")),
      diffs: flag(c.req.query("diffs")),
    })
    return c.body(typeof file.body === "string" ? file.body : (file.body as Uint8Array<ArrayBuffer>), 200, {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${safeFileName(file.fileName)}"`,
      "cache-control": "no-store",
    })
  })
  app.post("/overlay/session/:id/revoke", async (c) => c.json({ revoked: c.req.param("id"), ...(await deps.revoke(c.req.param("id"))) }))
  app.all("/overlay/*", (c) => c.json({ error: "not_found", message: `No overlay route ${c.req.method} ${c.req.path}` }, 404))

  const index = deps.assets ? join(deps.assets, "index.html") : undefined
  const page = (c: Context) =>
    index && existsSync(index)
      ? new Response(Bun.file(index), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } })
      : c.html(NOT_BUILT, 503)
  app.get("/", page)
  app.get("/index.html", page)
  app.get("/assets/*", async (c) => {
    if (!deps.assets) return c.notFound()
    const path = normalize(join(deps.assets, c.req.path))
    if (!path.startsWith(join(deps.assets, "assets"))) return c.notFound()
    const file = Bun.file(path)
    if (!(await file.exists())) return c.json({ error: "not_found", message: `No asset ${c.req.path}` }, 404)
    return new Response(file, { headers: { "cache-control": "public, max-age=31536000, immutable" } })
  })

  // Everything else is the runtime's own API, proxied unchanged; its web UI (which
  // offers sharing) is never shown: an HTML answer is replaced by the overlay's app.
  app.all("*", async (c) => {
    const answer = await forward(c, deps.runtime).catch(() => {
      throw new HttpFailure(502, "runtime_unreachable", "The OpenCode runtime behind this server did not answer.")
    })
    if (c.req.method === "GET" && answer.headers.get("content-type")?.startsWith("text/html")) {
      await answer.body?.cancel()
      return page(c)
    }
    return answer
  })
  return app
}

/** A file name safe in a Content-Disposition header and on every file system. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "")
  return cleaned.length > 0 ? cleaned.slice(0, 120) : "session-export"
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>opencode</title>
<p>The web app is not built. Run <code>npx -y bun@1.4.5 run build</code> in the repository, then reload.</p>`
