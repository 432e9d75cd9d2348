import { routeSegments } from "./route-path.ts"

/**
 * The project folders a request to the runtime names (pure), as the runtime
 * reads them: `?directory=`, `?location[directory]=` (its `/api/` routes), and
 * the `x-opencode-directory` header, which its clients percent-encode. Every
 * one of them, in that order: a guard must judge each, since the runtime may
 * read another than the guard would.
 */
export function namedDirectories(url: string, header: string | undefined): string[] {
  const query = new URL(url).searchParams
  const named = [...query.getAll("directory"), ...query.getAll("location[directory]")]
  if (header !== undefined) {
    try {
      named.push(decodeURIComponent(header))
    } catch {
      named.push(header)
    }
  }
  return named
}

/**
 * The folder the runtime's web app opens for a path (its routes start with the folder, base64url-encoded:
 * `/<base64url(folder)>/session/…`), when the first segment decodes to an absolute path; else none.
 */
export function appPathFolder(path: string): string[] {
  // As a router would read it (decoded, any spelling); the decoder takes either base64 alphabet, padded or not.
  const first = routeSegments(path)[0]
  if (first === undefined || !/^[A-Za-z0-9_+=-]+$/.test(first)) return []
  const folder = Buffer.from(first, "base64url").toString("utf8")
  return /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(folder) && !/[\u0000-\u001f\ufffd]/.test(folder) ? [folder] : []
}
