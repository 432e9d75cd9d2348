/**
 * A path as the runtime's router may read it (pure), for guards that must
 * match every spelling the runtime would route the same way. Seen on the
 * pinned runtime (POST to a session's share route, each answered by the share
 * handler): letters in any case (`/Session/<id>/SHARE`), repeated slashes
 * (`//session//<id>//share`), a trailing slash, `;…` after the path
 * (`/session/<id>/share;x=1`), percent-encoded letters (`/%73ession/<id>/s%68are`),
 * and encoded `?`, `#`, `;` or `/` kept inside a parameter
 * (`/session/<id>%3F/share` reaches the handler with the id `<id>?`).
 *
 * So the path is cut at a literal `?`, `#` or `;`, split at literal slashes
 * (and backslashes), and then each segment is decoded on its own, until it no
 * longer changes: what an encoded slash makes stays inside its segment, as in
 * the router. The reading is wider than the router's where that costs nothing
 * (backslashes, dot segments resolved, double encoding): a guard that also
 * refuses a spelling the runtime would not route to its handler costs
 * nothing, one that misses a spelling lets the request through.
 */

const DECODE_ROUNDS = 4

function decoded(segment: string): string {
  let text = segment
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    let next: string
    try {
      next = decodeURIComponent(text)
    } catch {
      return text
    }
    if (next === text) return text
    text = next
  }
  return text
}

/** The path's segments as the most lenient router would see them (their case kept). */
export function routeSegments(path: string): ReadonlyArray<string> {
  const segments: string[] = []
  for (const raw of path.split(/[?#;]/, 1)[0]!.split(/[/\\]/)) {
    const segment = decoded(raw)
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

/** Does `path` name a project's files (the runtime's `/api/fs/…` and `/file…`), in any spelling it routes alike? */
export function namesProjectFiles(path: string): boolean {
  const [first, second] = routeSegments(path).map((segment) => segment.toLowerCase())
  return first === "file" || (first === "api" && second === "fs")
}
