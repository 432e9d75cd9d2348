/**
 * Headers on every answer, the runtime's included: the browser may not guess
 * a type, send where a page came from, frame a page into another site, or let
 * another site embed what the server answers; pages get a Content Security
 * Policy; session data is never cached.
 */
import type { MiddlewareHandler } from "hono"
import { secureHeaders } from "hono/secure-headers"

/**
 * Hono's set (nosniff, `Referrer-Policy: no-referrer`, `X-Frame-Options:
 * SAMEORIGIN`, `Cross-Origin-Resource-Policy: same-origin`, …), without
 * `Strict-Transport-Security` (the server speaks plain HTTP; on a proxy's
 * HTTPS name it would pin a whole domain) and without `Cross-Origin-Opener-Policy`
 * (the runtime's app may open sign-in windows of providers that report back to it).
 */
const browserHeaders = secureHeaders({ strictTransportSecurity: false, crossOriginOpenerPolicy: false })

/** For a page that has no policy of its own (the runtime's app has one; the session logs have theirs in a meta tag, which cannot say frame-ancestors). */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

/** Added beside a page's own policy: both apply, and this one only says who may frame it. */
const FRAMING_CSP = "frame-ancestors 'self'"

const isPage = (type: string | null) => type?.startsWith("text/html") ?? false
/** What holds session data or a page made of it: JSON, the event stream, pages. */
const isData = (type: string | null) =>
  type !== null && (type.startsWith("application/json") || type.startsWith("text/event-stream") || type.startsWith("text/html") || type.startsWith("text/markdown"))

const pageAndCacheHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  const headers = c.res.headers
  const type = headers.get("content-type")
  if (isPage(type)) {
    if (headers.has("content-security-policy")) headers.append("content-security-policy", FRAMING_CSP)
    else headers.set("content-security-policy", PAGE_CSP)
  }
  if (isData(type) || c.req.path.startsWith("/overlay/")) headers.set("cache-control", "no-store")
}

export const responseHeaders: ReadonlyArray<MiddlewareHandler> = [browserHeaders, pageAndCacheHeaders]
