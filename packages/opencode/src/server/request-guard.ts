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
 * - a browser's request without Fetch Metadata to a name that is not
 *   loopback is refused (403, with a page that says how to come safely):
 *   browsers send Fetch Metadata only to an address they trust (loopback, or
 *   HTTPS), so over plain HTTP on the network a link or an image of any site
 *   arrives looking exactly like the user's own request, and the runtime's
 *   app and API both open the folder a request names.
 * - a prefetch or prerender (`Sec-Purpose`) is answered only to this origin's
 *   own pages (403): the browser says `none` for one another page asked for.
 * - after the password (`outsideLinkGuard`): a navigation the browser says
 *   nobody sent (`Sec-Fetch-Site: none`) to a folder the runtime has had no
 *   session in gets the same kind of page: a link from outside the browser,
 *   redirected here by another site, says so too.
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
import { allowsHost, allowsOrigin, describeHosts, isLoopback, parseHost, type HostAllowList } from "../http/hosts.ts"
import { appPathFolder, isAbsoluteFolder, namedDirectories } from "../http/directories.ts"
import { requestTarget } from "../http/request-target.ts"
import { namesProjectFiles } from "../http/route-path.ts"
import { httpError } from "./http-error.ts"

const FROM_HERE = new Set(["same-origin", "none"])

/** How a page may use an answer, where a project's file must never serve (Fetch Metadata's `Sec-Fetch-Dest`). */
const RUNS_OR_EMBEDS = new Set(["script", "worker", "sharedworker", "serviceworker", "style", "object", "embed", "iframe", "frame", "xslt", "paintworklet", "audioworklet"])

/**
 * A browser's request: every browser's `User-Agent` starts so, and a page cannot change it for a link or an
 * image. The clients that are not browsers (the CLI, the SDK, curl) do not claim it; a program that does is not
 * what the browser checks guard against (with the password, it may do anything anyway).
 */
const fromBrowser = (userAgent: string | undefined) => userAgent?.startsWith("Mozilla/") === true

/** Has the runtime had a session in `folder`, or is it a project's folder? (`storage/known-folders.ts`) */
export type KnownFolder = (folder: string) => Promise<boolean>

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
        return leavingPage(c, "site")
      throw httpError(new CrossOriginRefused({ message: `Refused a ${c.req.method} that a page of another site made the browser send (Sec-Fetch-Site: ${site}).` }))
    }
    // `host` is one of the list's names (checked above).
    if (site === undefined && fromBrowser(c.req.header("user-agent")) && !isLoopback(parseHost(host!)!.name)) {
      if (c.req.method === "GET" && (c.req.header("accept") ?? "").includes("text/html")) return plainHttpPage()
      throw httpError(new CrossOriginRefused({ message: `Refused a ${c.req.method} from a browser: ${PLAIN_HTTP}` }))
    }
    const relative = namedDirectories(c.req.url, c.req.header("x-opencode-directory")).find((directory) => directory !== "" && !isAbsoluteFolder(directory))
    if (relative !== undefined)
      throw httpError(new BadRequestTarget({ message: `Refused: the project folder ${JSON.stringify(relative)} is not an absolute path.` }))
    // Asked for ahead of any navigation (a page's speculation rules, the address bar's guess): the browser says
    // `none` for it whichever page asked, and nobody has opened it yet. Only this origin's own pages may.
    const purpose = c.req.header("sec-purpose")
    if (purpose !== undefined && /prefetch/i.test(purpose) && site !== "same-origin")
      throw httpError(new CrossOriginRefused({ message: `Refused a prefetch or prerender (Sec-Purpose: ${purpose}): only what the user opens is answered.` }))
    const dest = c.req.header("sec-fetch-dest")
    if (dest !== undefined && RUNS_OR_EMBEDS.has(dest) && namesProjectFiles(target.path))
      throw httpError(new CrossOriginRefused({ message: `Refused to serve a project's file as a ${dest}: files are shown, never run.` }))
    return next()
  }

/**
 * After the password (so that it tells nobody without it which folders the runtime knows): `Sec-Fetch-Site: none`
 * says the user opened a page (an address typed, a bookmark, a reload), but the browser says it too for a link
 * opened from outside it (a mail, a chat) that another site redirected here, and keeps it through the redirect. A
 * folder the runtime has had no session in is not opened that way: it would load that folder's config and plugins.
 */
export const outsideLinkGuard =
  (knownFolder: KnownFolder): MiddlewareHandler =>
  async (c, next) => {
    if (c.req.header("sec-fetch-site") === "none" && c.req.method === "GET" && c.req.header("sec-fetch-mode") === "navigate") {
      const target = requestTarget(c.req.url)
      const path = "problem" in target ? "" : target.path
      for (const folder of [...namedDirectories(c.req.url, undefined), ...appPathFolder(path)])
        if (!(await knownFolder(folder))) return leavingPage(c, "outside")
    }
    return next()
  }

/** Why a browser is refused at a plain-HTTP address of the network, and how to come safely. */
const PLAIN_HTTP =
  "over plain HTTP at an address that is not loopback, browsers do not say which site made them send a request (no Fetch Metadata), " +
  "so a link or an image on any page would pass for yours and could make OpenCode open a folder of its choosing. " +
  "Open this server over HTTPS (a proxy in front of it, its name added with --allow-host), or through an SSH tunnel to 127.0.0.1 (ssh -L)."

/**
 * A link to this server that is not followed: from a page of another site, or from outside the browser to a
 * folder the runtime does not know. The page says where the user was going and offers the app's start page,
 * whose link is then a navigation of this origin.
 */
function leavingPage(c: Context, from: "site" | "outside"): Response {
  const path = escapeHtml(new URL(c.req.url).pathname)
  return from === "site"
    ? refusalPage(
        "A link from another site",
        `<p>A page of another site sent your browser to this OpenCode server (<code>${path}</code>). Links from other sites are not followed: the place they name could make OpenCode open a folder of their choosing.</p>
<p><a href="/">Open OpenCode's start page</a> and go on from there.</p>`,
      )
    : refusalPage(
        "A link to a folder OpenCode does not know",
        `<p>Your browser was sent to this OpenCode server from outside it (<code>${path}</code>): a link in a mail or a chat, a bookmark, or another site passing one on. It names a folder OpenCode has had no session in, and opening it would load that folder's configuration and plugins, code that runs.</p>
<p><a href="/">Open OpenCode's start page</a> and open the folder from there if you meant to.</p>`,
      )
}

/** A browser at a plain-HTTP address of the network: no page of the app is served there. */
const plainHttpPage = (): Response =>
  refusalPage("Not over plain HTTP", `<p>This OpenCode server does not serve browsers here: ${escapeHtml(PLAIN_HTTP)}</p>`)

/** A page of the overlay's own, with its own policy (no script, no frames), so the answer headers leave it as it is. */
function refusalPage(title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>OpenCode: ${title.toLowerCase()}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{word-break:break-all}</style>
<h1>${title}</h1>
${body}
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
