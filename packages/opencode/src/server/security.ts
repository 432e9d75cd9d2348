import type { MiddlewareHandler } from "hono"

/** Loopback names: the only addresses the server binds without a password. */
export const isLoopback = (hostname: string): boolean =>
  hostname === "127.0.0.1" || hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.")

/**
 * A state-changing request from a browser must come from this server's own
 * pages: a page elsewhere cannot make the user's browser revoke or prompt.
 * Requests without an Origin header (CLI, curl) are not from a page.
 */
export const sameOrigin: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next()
  const origin = c.req.header("origin")
  if (!origin) return next()
  const host = c.req.header("host")
  let originHost: string | undefined
  try {
    originHost = new URL(origin).host
  } catch {
    originHost = undefined
  }
  if (host && originHost === host) return next()
  return c.json(
    { error: "cross_origin", message: `Refused a ${c.req.method} from ${origin}: only this server's own pages may change state.` },
    403,
  )
}
