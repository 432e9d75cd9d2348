/**
 * The first thing every request meets (HTTP and WebSocket upgrades alike),
 * before the password, the share guard and the proxy: a request a web page in
 * the user's browser could have sent on its own behalf is refused here, and
 * nothing refused reaches the runtime.
 *
 * - `Host` must be one of the names the server was bound to (421 otherwise):
 *   DNS rebinding gives a page on the attacker's name this address, but the
 *   browser still sends the attacker's name.
 * - the target must be a plain path (400): `//other/x` and the like name another host.
 * - `Origin`, when a request carries one, must be on the same list (403),
 *   whatever the method; it is never compared with the request's own `Host`.
 * - `Sec-Fetch-Site` (Fetch Metadata, sent by current browsers also where
 *   they send no `Origin`: an image, a script, a frame, a link of another
 *   site) must say the request came from this origin or from the user (an
 *   address typed or bookmarked, or opened by `opencode web`). A link another
 *   site shows is answered with a page of the overlay's own that offers the
 *   app, never passed on: the runtime's app opened at a path of the link's
 *   choosing opens the project folder that path names, and the runtime then
 *   loads that folder's config and plugins (code that runs).
 * - a project folder a request names (`directory`, `location[directory]`,
 *   `x-opencode-directory`) must be an absolute path (400): the runtime
 *   resolves a relative one against its own folder (`node_modules/<pkg>`).
 * - a project's files (`/api/fs/…`, `/file…`) are never loaded as a script,
 *   a style, a worker or an embedded document (403): a file of the project
 *   would otherwise pass the app's `script-src 'self'`.
 * Requests without these headers (the CLI, curl, the SDK) pass as before.
 */
import type { Context, MiddlewareHandler } from "hono"
import { BadRequestTarget, CrossOriginRefused, HostNotAllowed } from "../http/errors.ts"
import { allowsHost, allowsOrigin, describeHosts, type HostAllowList } from "../http/hosts.ts"
import { namedDirectories } from "../http/directories.ts"
import { requestTarget } from "../http/request-target.ts"
import { httpError } from "./http-error.ts"

const FROM_HERE = new Set(["same-origin", "none"])

/** How a page may use an answer, where a project's file must never serve (Fetch Metadata's `Sec-Fetch-Dest`). */
const RUNS_OR_EMBEDS = new Set(["script", "worker", "sharedworker", "serviceworker", "style", "object", "embed", "iframe", "frame", "xslt", "paintworklet", "audioworklet"])
const PROJECT_FILES = /^\/(?:api\/fs\/|file(?:\/|$))/

/** An absolute path on this machine (POSIX, or a Windows drive or share). */
const isAbsolute = (path: string) => path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\")

export const requestGuard =
  (hosts: HostAllowList): MiddlewareHandler =>
  async (c, next) => {
    const host = c.req.header("host")
    if (!allowsHost(hosts, host))
      throw httpError(
        new HostNotAllowed({
          message:
            `This server answers only to ${describeHosts(hosts)}; a request for ${host === undefined ? "no host" : JSON.stringify(host)} was refused ` +
            `(a page on another name may have been pointed at this address). Open it by one of those names, or add yours with --allow-host.`,
        }),
      )
    const target = requestTarget(c.req.url)
    if ("problem" in target) throw httpError(new BadRequestTarget({ message: `Refused: ${target.problem}.` }))
    const origin = c.req.header("origin")
    if (origin !== undefined && !allowsOrigin(hosts, origin))
      throw httpError(
        new CrossOriginRefused({ message: `Refused a ${c.req.method} from ${origin}: only this server's own pages (${describeHosts(hosts)}) may send requests.` }),
      )
    const site = c.req.header("sec-fetch-site")
    if (site !== undefined && !FROM_HERE.has(site)) {
      if (c.req.method === "GET" && c.req.header("sec-fetch-mode") === "navigate" && c.req.header("sec-fetch-dest") === "document" && !c.req.header("upgrade"))
        return leavingPage(c)
      throw httpError(new CrossOriginRefused({ message: `Refused a ${c.req.method} that a page of another site made the browser send (Sec-Fetch-Site: ${site}).` }))
    }
    const relative = namedDirectories(c.req.url, c.req.header("x-opencode-directory")).find((directory) => directory !== "" && !isAbsolute(directory))
    if (relative !== undefined)
      throw httpError(new BadRequestTarget({ message: `Refused: the project folder ${JSON.stringify(relative)} is not an absolute path.` }))
    const dest = c.req.header("sec-fetch-dest")
    if (dest !== undefined && RUNS_OR_EMBEDS.has(dest) && PROJECT_FILES.test(target.path))
      throw httpError(new CrossOriginRefused({ message: `Refused to serve a project's file as a ${dest}: files are shown, never run.` }))
    return next()
  }

/**
 * A link on another site to this server: not followed. The page says where the
 * user was going and offers the app's start page, whose link is then a
 * navigation of this origin. It carries its own policy (no script, no frames),
 * so the answer headers leave it as it is.
 */
function leavingPage(c: Context): Response {
  const path = new URL(c.req.url).pathname
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>OpenCode: a link from another site</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{word-break:break-all}</style>
<h1>A link from another site</h1>
<p>A page of another site sent your browser to this OpenCode server (<code>${escapeHtml(path)}</code>). Links from other sites are not followed: the place they name could make OpenCode open a folder of their choosing.</p>
<p><a href="/">Open OpenCode's start page</a> and go on from there.</p>
</html>`
  return new Response(html, {
    status: 403,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  })
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
