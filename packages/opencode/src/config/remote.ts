/**
 * Config the runtime fetches over the network when it starts, which the
 * overlay cannot read beforehand: the `.well-known/opencode` of each
 * `wellknown` entry in the runtime's `auth.json`, and the config of the
 * active console organisation (its account's URL comes from the runtime's
 * database: storage/accounts.ts). Only where they are configured is read
 * here (URLs, never tokens), so that `opencode share status` can say they exist.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"

export type RemoteConfigSource =
  | { readonly kind: "well-known"; readonly url: string }
  | { readonly kind: "console"; readonly url: string }

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "")

/** The well-known endpoints of the `wellknown` entries in `<dataDir>/auth.json` (pure but for reading it). */
export function wellKnownSources(dataDir: string): ReadonlyArray<RemoteConfigSource> {
  let entries: unknown
  try {
    entries = JSON.parse(readFileSync(join(dataDir, "auth.json"), "utf8"))
  } catch {
    return []
  }
  if (typeof entries !== "object" || entries === null) return []
  return Object.entries(entries)
    .filter(([, value]) => (value as { type?: unknown } | null)?.type === "wellknown")
    .map(([url]) => ({ kind: "well-known", url: `${withoutTrailingSlash(url)}/.well-known/opencode` }))
}

/** The config endpoint of a console account with an active organisation. */
export const consoleSource = (accountURL: string): RemoteConfigSource => ({ kind: "console", url: `${withoutTrailingSlash(accountURL)}/api/config` })
