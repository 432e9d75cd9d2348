import { timingSafeEqual as equalBytes } from "node:crypto"
import type { MiddlewareHandler } from "hono"

/** Loopback names: the only addresses the server binds without a password. */
export const isLoopback = (hostname: string): boolean =>
  hostname === "127.0.0.1" || hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.")

/**
 * HTTP basic auth on every route when a password is set (required to bind
 * anything but loopback). Any username is accepted, as the runtime does.
 */
export const basicAuth =
  (password: string | undefined): MiddlewareHandler =>
  async (c, next) => {
    if (!password) return next()
    const header = c.req.header("authorization") ?? ""
    const [scheme, encoded] = header.split(" ")
    const given = scheme?.toLowerCase() === "basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8") : ""
    const secret = given.slice(given.indexOf(":") + 1)
    if (given.includes(":") && timingSafeEqual(secret, password)) return next()
    c.header("WWW-Authenticate", 'Basic realm="opencode", charset="UTF-8"')
    return c.json({ error: "unauthorized", message: "This server needs the password set in OPENCODE_SERVER_PASSWORD." }, 401)
  }

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

function timingSafeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  if (x.length !== y.length) return false
  return equalBytes(x, y)
}
