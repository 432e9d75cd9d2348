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
 * The folder the runtime's web app opens for a path: its routes start with the folder, base64-encoded
 * (`/<base64url(folder)>/session/…`), which it decodes with `atob` and `TextDecoder`. Decoded the same way
 * (either base64 alphabet, padded or not; a byte-order mark dropped, broken UTF-8 kept as U+FFFD, control
 * characters kept), and named when that is an absolute path: a relative one never reaches the runtime (the
 * app's requests name it, and the guard refuses relative folders).
 */
export function appPathFolder(path: string): string[] {
  const first = routeSegments(path)[0]
  if (first === undefined || !/^[A-Za-z0-9_+=-]+$/.test(first)) return []
  const folder = new TextDecoder().decode(Buffer.from(first, "base64url"))
  return isAbsoluteFolder(folder) ? [folder] : []
}

/** An absolute path on this machine (POSIX, or a Windows drive or share). */
export const isAbsoluteFolder = (path: string): boolean => path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\")
