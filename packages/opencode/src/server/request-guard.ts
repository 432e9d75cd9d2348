/**
 * The first thing every request meets (HTTP and WebSocket upgrades alike),
 * before the password, the share guard and the proxy: a request a web page in
 * the user's browser could have sent on its own behalf is refused here.
 *
 * - `Host` must be one of the names the server was bound to (421 otherwise):
 *   DNS rebinding gives a page on the attacker's name this address, but the
 *   browser still sends the attacker's name.
 * - the target must be a plain path (400): `//other/x` and the like name another host.
 * - `Origin`, when a request carries one, must be on the same list (403),
 *   whatever the method; it is never compared with the request's own `Host`.
 * - `Sec-Fetch-Site` (Fetch Metadata, sent by current browsers also where
 *   they send no `Origin`: an image, a script, a frame of another site) must
 *   say the request came from this origin or from the user (typed, bookmarked,
 *   opened by `opencode web`), or be a top-level navigation (a link followed),
 *   which cannot read what it gets; and that only to a page: a link from
 *   another site to a file the runtime serves (`/api/fs/read/x.svg`) would
 *   open it as a document of this origin, so it is refused.
 * Requests without these headers (the CLI, curl, the SDK) pass as before.
 */
import type { MiddlewareHandler } from "hono"
import { BadRequestTarget, CrossOriginRefused, HostNotAllowed } from "../http/errors.ts"
import { allowsHost, allowsOrigin, describeHosts, type HostAllowList } from "../http/hosts.ts"
import { requestTarget } from "../http/request-target.ts"
import { httpError } from "./http-error.ts"

const FROM_HERE = new Set(["same-origin", "none"])

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
    if (site === undefined || FROM_HERE.has(site)) return next()
    const refused = new CrossOriginRefused({ message: `Refused a ${c.req.method} that a page of another site made the browser send (Sec-Fetch-Site: ${site}).` })
    const navigation =
      (c.req.method === "GET" || c.req.method === "HEAD") &&
      c.req.header("sec-fetch-mode") === "navigate" &&
      c.req.header("sec-fetch-dest") === "document" &&
      c.req.header("upgrade") === undefined
    if (!navigation) throw httpError(refused)
    await next()
    if (!c.res.headers.get("content-type")?.startsWith("text/html"))
      throw httpError(new CrossOriginRefused({ message: `${refused.message} A link from another site may open this server's pages, not its files.` }))
  }
