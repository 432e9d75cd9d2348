/**
 * Config the runtime fetches over the network when it starts, which the
 * overlay cannot read beforehand: the `.well-known/opencode` of each
 * `wellknown` entry in the runtime's `auth.json`, and the config of the
 * active console organisation. Only where they are configured is read here
 * (URLs, never tokens), so that `opencode share status` can say they exist.
 */
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { eq, isNotNull } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { account, accountState } from "./schema.ts"

export type RemoteConfigSource =
  | { readonly kind: "well-known"; readonly url: string }
  | { readonly kind: "console"; readonly url: string }

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
    .map(([url]) => ({ kind: "well-known", url: `${url.replace(/\/+$/, "")}/.well-known/opencode` }))
}

/** Every remote config source configured in this runtime's data: the well-known endpoints, then the active console organisation's. */
export const remoteConfigSources: Effect.Effect<ReadonlyArray<RemoteConfigSource>, never, RuntimeDatabase> = Effect.gen(function* () {
  const handle = yield* RuntimeDatabase
  const { path } = handle
  const db = ormOf(handle)
  const rows = yield* Effect.sync(() =>
    db
      .select({ url: account.url })
      .from(accountState)
      .innerJoin(account, eq(account.id, accountState.activeAccountID))
      .where(isNotNull(accountState.activeOrgID))
      .all(),
  ).pipe(Effect.catchDefect(() => Effect.succeed([] as Array<{ url: string }>)))
  return [...wellKnownSources(dirname(path)), ...rows.map((r) => ({ kind: "console" as const, url: `${r.url.replace(/\/+$/, "")}/api/config` }))]
})
