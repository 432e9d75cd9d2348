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
 *   opened by `opencode web`), or be a top-level navigation, which cannot read
 *   what it gets.
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
    if (site !== undefined && !FROM_HERE.has(site) && !topLevelNavigation(c.req.method, c.req.header("sec-fetch-mode"), c.req.header("sec-fetch-dest")))
      throw httpError(
        new CrossOriginRefused({ message: `Refused a ${c.req.method} that a page of another site made the browser send (Sec-Fetch-Site: ${site}).` }),
      )
    return next()
  }

/** A link followed or an address typed into a tab: the page that started it cannot read the answer. */
const topLevelNavigation = (method: string, mode: string | undefined, dest: string | undefined) =>
  (method === "GET" || method === "HEAD") && mode === "navigate" && dest === "document"
