/** The runtime's console accounts (read-only): which one is active with an organisation. URLs only, never tokens. */
import { eq, isNotNull } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { account, accountState } from "./schema.ts"

/** The URL of the active account where it has an active organisation; none in a database without these tables. */
export const activeOrgAccountURLs: Effect.Effect<ReadonlyArray<string>, never, RuntimeDatabase> = Effect.gen(function* () {
  const db = ormOf(yield* RuntimeDatabase)
  const rows = yield* Effect.sync(() =>
    db
      .select({ url: account.url })
      .from(accountState)
      .innerJoin(account, eq(account.id, accountState.activeAccountID))
      .where(isNotNull(accountState.activeOrgID))
      .all(),
  ).pipe(Effect.catchDefect(() => Effect.succeed([] as Array<{ url: string }>)))
  return rows.map((r) => r.url)
})
