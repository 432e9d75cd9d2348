/**
 * The runtime app's URLs, as the overlay's addition reads them (pure): a
 * session is open at `…/session/<id>` (`/server/<base64url(server)>/session/<id>`
 * in the app of runtime 1.18.33, `/<base64url(directory)>/session/<id>` when
 * opened from a project's link).
 */

export function sessionInPath(pathname: string): { readonly sessionID: string } | undefined {
  const match = /^(?:\/server)?\/[A-Za-z0-9_-]+\/session\/([^/]+)\/?$/.exec(pathname)
  if (!match) return undefined
  try {
    return { sessionID: decodeURIComponent(match[1]!) }
  } catch {
    return undefined
  }
}

/** The overlay app's hash for the export dialog alone (see `exportFromHash` in lib/route.ts). */
export function exportHash(sessionID: string, title?: string): string {
  return `#/export/${encodeURIComponent(sessionID)}${title ? `?${new URLSearchParams({ title })}` : ""}`
}

/** The session logs app's hash that opens it on its search box (see `searchFromHash` in lib/route.ts). */
export const SEARCH_HASH = "#/search"
