/**
 * Headers on every answer, the runtime's included: the browser may not guess
 * a type, send where a page came from, frame a page into another site, or let
 * another site embed what the server answers; pages get a Content Security
 * Policy; session data is never cached.
 *
 * The runtime also serves the project's files as they are (`/api/fs/read/*`,
 * typed by their extension): an SVG or an HTML file of a cloned repository,
 * opened as a document of this origin, could run its script with the whole
 * API in reach. So whatever the runtime answers that a browser could render
 * as a document with script (HTML, SVG, XML, PDF, no type at all) and that
 * carries no policy of its own (the runtime's app does) is a sandboxed
 * document: no script, an origin of its own.
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

/** For a document the runtime serves that is not its app (a project's file): shown, never run. */
export const SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

const isPage = (type: string | null) => type?.startsWith("text/html") ?? false
/** Types a browser may render as a document that runs script (no type: it may guess one). */
const isDocument = (type: string | null) =>
  type === null || /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|application\/pdf|multipart\/)/.test(type) || /\+xml\b/.test(type)
/** Routes the overlay answers itself; everything else is the runtime's. */
const isOverlayRoute = (path: string) => path.startsWith("/overlay/") || path === "/logs" || path.startsWith("/logs/")
/** What holds session data or a page made of it: JSON, the event stream, pages. */
const isData = (type: string | null) =>
  type !== null && (type.startsWith("application/json") || type.startsWith("text/event-stream") || type.startsWith("text/html") || type.startsWith("text/markdown"))

const pageAndCacheHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  const headers = c.res.headers
  const type = headers.get("content-type")
  if (headers.has("content-security-policy")) {
    if (isPage(type)) headers.append("content-security-policy", FRAMING_CSP)
  } else if (isOverlayRoute(c.req.path)) {
    if (isPage(type)) headers.set("content-security-policy", PAGE_CSP)
  } else if (isDocument(type) && c.res.status !== 101) headers.set("content-security-policy", SANDBOX_CSP)
  if (isData(type) || c.req.path.startsWith("/overlay/")) headers.set("cache-control", "no-store")
}

export const responseHeaders: ReadonlyArray<MiddlewareHandler> = [browserHeaders, pageAndCacheHeaders]
