/**
 * A path as the runtime's router may read it (pure), for guards that must
 * match every spelling the runtime would route the same way. Seen on the
 * pinned runtime (POST to a session's share route, each answered by the share
 * handler): letters in any case (`/Session/<id>/SHARE`), repeated slashes
 * (`//session//<id>//share`), a trailing slash, `;…` after the path
 * (`/session/<id>/share;x=1`), percent-encoded letters (`/%73ession/<id>/s%68are`).
 *
 * The reading here is wider than the router's on purpose: a guard that also
 * refuses a spelling the runtime would not route to its handler costs
 * nothing, one that misses a spelling lets the request through. So: cut at
 * `?`, `#` and `;`, decode percent-encoding until it no longer changes (and
 * cut again), read backslashes as slashes, drop empty and `.` segments,
 * resolve `..`, and compare words in any case.
 */

const DECODE_ROUNDS = 4

const cut = (path: string) => path.split(/[?#;]/, 1)[0]!

/** The path's segments as the most lenient router would see them (their case kept). */
export function routeSegments(path: string): ReadonlyArray<string> {
  let text = cut(path)
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    let next: string
    try {
      next = cut(decodeURIComponent(text))
    } catch {
      break
    }
    if (next === text) break
    text = next
  }
  const segments: string[] = []
  for (const segment of text.replaceAll("\\", "/").split("/")) {
    if (segment === "" || segment === ".") continue
    if (segment === "..") segments.pop()
    else segments.push(segment)
  }
  return segments
}

/**
 * Does `path` name `pattern` (segments; `:name` matches any one segment) in
 * any spelling the runtime might route alike? Returns the values of the
 * `:name` segments, or `undefined`.
 */
export function matchRoute(path: string, pattern: string): Readonly<Record<string, string>> | undefined {
  const want = pattern.split("/").filter(Boolean)
  const have = routeSegments(path)
  if (have.length !== want.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, w] of want.entries()) {
    if (w.startsWith(":")) params[w.slice(1)] = have[i]!
    else if (w.toLowerCase() !== have[i]!.toLowerCase()) return undefined
  }
  return params
}
