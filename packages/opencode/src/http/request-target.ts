/**
 * The path and query of a request, checked, and the runtime's URL for them
 * (pure). The runtime's URL is its fixed origin followed by the path as text:
 * never resolved against the request (where `//host/x` would name another
 * host, and the proxy would hand it the runtime's password).
 *
 * Bun reduces an absolute-form target (`GET http://other/x`) to its path and
 * keeps the `Host` header, and resolves `.` and `..` segments, before the
 * request reaches the app; so the path of `request.url` is all there is to
 * check: it must start with one `/` and a segment, no decoding of it may
 * start with a second slash or a backslash, and none may hold a control
 * character (a NUL reaches file APIs as a failure, a newline a header).
 */

export type RequestTarget = { readonly path: string; readonly query: string }

/** Up to this many rounds of percent-decoding are looked through (`%252F` is `%2F` after one). */
const DECODE_ROUNDS = 4

/** The path of a request URL as the server received it, or what is wrong with it. */
export function requestTarget(url: string): RequestTarget | { readonly problem: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { problem: "the request has no host and path this server can read" }
  }
  const path = parsed.pathname
  if (!path.startsWith("/")) return { problem: "the path must start with /" }
  let decoded = path
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    if (/^[/\\][/\\]/.test(decoded))
      return { problem: `the path ${JSON.stringify(path)} starts with two slashes or a backslash, which names another host` }
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return { problem: `the path ${JSON.stringify(path)} holds a control character` }
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      return { problem: `the path ${JSON.stringify(path)} holds a % that is not followed by two hex digits` }
    }
    if (next === decoded) break
    decoded = next
  }
  return { path, query: parsed.search }
}

/** The runtime's URL for a checked target: its own origin, then the path and query as they came. */
export function runtimeUrl(runtimeOrigin: string, target: RequestTarget, protocol: "http" | "ws" = "http"): string {
  const origin = new URL(runtimeOrigin)
  const url = new URL(`${origin.origin}${target.path}${target.query}`)
  // The text above cannot leave the origin (the path starts with one slash); say so where it would.
  if (url.origin !== origin.origin) throw new Error(`refused to build a runtime URL outside ${origin.origin}`)
  if (protocol === "ws") url.protocol = origin.protocol === "https:" ? "wss:" : "ws:"
  return url.href
}
