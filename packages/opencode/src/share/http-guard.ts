import type { MiddlewareHandler } from "hono"
import type { SharePolicy } from "../config/policy.ts"
import { namedDirectories } from "../http/directories.ts"
import { matchRoute } from "../http/route-path.ts"
import { refusal } from "./refusal.ts"

/** The runtime's share route (`POST` publishes, `DELETE` unpublishes). */
export const SHARE_ROUTE = "/session/:sessionID/share"

/** Methods that only read: the runtime has no reading share route, and these change nothing. */
const READING = new Set(["GET", "HEAD"])

/**
 * Hono middleware for the runtime's share route: while sharing is disabled it
 * answers `403` with `{ error: "share_disabled", message, policy }` instead of
 * passing the request on (the runtime itself would answer a 500, or a silent
 * no-op for DELETE). Revoking goes through the overlay's own revoke route.
 *
 * The route is matched in every spelling the runtime's router accepts (any
 * case, repeated slashes, `;…`, percent-encoded letters: `http/route-path.ts`),
 * for every method but reading ones. The project is each directory the request
 * names (`http/directories.ts`), and the
 * request is refused where any of them is disabled: the runtime may read
 * another of them than this guard would.
 */
export const shareGuard =
  (policyFor: (directory: string | undefined) => SharePolicy | Promise<SharePolicy>): MiddlewareHandler =>
  async (c, next) => {
    if (READING.has(c.req.method)) return next()
    const match = matchRoute(c.req.path, SHARE_ROUTE)
    if (!match) return next()
    const named = namedDirectories(c.req.url, c.req.header("x-opencode-directory"))
    const directories = named.length > 0 ? named : [undefined]
    for (const directory of directories) {
      const policy = await policyFor(directory)
      if (policy.mode !== "disabled") continue
      const sessionID = match.sessionID!
      const what =
        c.req.method === "DELETE"
          ? `unsharing through the runtime route (revoke with POST /overlay/session/${sessionID}/revoke or 'opencode share revoke ${sessionID}')`
          : `publishing session ${sessionID}`
      const r = refusal(policy, what)
      return c.json({ error: r.error, message: r.message, policy: r.policy, export: r.export }, 403)
    }
    return next()
  }

