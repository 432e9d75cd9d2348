import type { MiddlewareHandler } from "hono"
import type { SharePolicy } from "../config/policy.ts"
import { refusal } from "./refusal.ts"

/**
 * Hono middleware for the runtime's share routes (`POST` and `DELETE
 * /session/:id/share`): while sharing is disabled it answers `403` with
 * `{ error: "share_disabled", message, policy }` instead of passing the
 * request on (the runtime itself would answer a 500, or a silent no-op for
 * DELETE). Revoking goes through the overlay's own revoke route instead.
 * `policyFor` decides per request (the `directory` query names the project).
 */
export const shareGuard =
  (policyFor: (directory: string | undefined) => SharePolicy | Promise<SharePolicy>): MiddlewareHandler =>
  async (c, next) => {
    const match = SHARE_ROUTE.exec(c.req.path)
    if (!match || (c.req.method !== "POST" && c.req.method !== "DELETE")) return next()
    const policy = await policyFor(c.req.query("directory") ?? c.req.header("x-opencode-directory"))
    if (policy.mode !== "disabled") return next()
    const sessionID = decodeURIComponent(match[1]!)
    const what =
      c.req.method === "POST"
        ? `publishing session ${sessionID}`
        : `unsharing through the runtime route (revoke with POST /overlay/session/${sessionID}/revoke or 'opencode share revoke ${sessionID}')`
    const r = refusal(policy, what)
    return c.json({ error: r.error, message: r.message, policy: r.policy, export: r.export }, 403)
  }

const SHARE_ROUTE = /^\/session\/([^/]+)\/share\/?$/
