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
  if (!origin || fromThisServer(origin, c.req.header("host"))) return next()
  return c.json(
    { error: "cross_origin", message: `Refused a ${c.req.method} from ${origin}: only this server's own pages may change state.` },
    403,
  )
}

/** Does a request's `Origin` name the host it was sent to? */
export function fromThisServer(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host
  } catch {
    return false
  }
}
