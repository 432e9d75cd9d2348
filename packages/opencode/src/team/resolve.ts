/**
 * A folder's share target and team route, read from what decides them: the
 * config layers, the member tokens kept here, and the runtime's console
 * accounts (its database, when there is one). The one recipe the launcher,
 * `opencode share` and the server call.
 */
import * as Effect from "effect/Effect"
import type { ConfigLayer } from "../config/layer.ts"
import { shareTarget, type ShareTarget } from "../config/share-target.ts"
import { activeOrgAccountURLs } from "../storage/accounts.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import { TeamCredentials, type TeamCredential } from "./credentials.ts"
import type { CredentialsFailed } from "./errors.ts"
import { teamRoute, type TeamRoute } from "./route.ts"

export type TeamResolution = { readonly target: ShareTarget; readonly route: TeamRoute }

export const resolveTeamRoute = (
  layers: ReadonlyArray<ConfigLayer>,
  options: { readonly pure: boolean; readonly dataDir?: string },
): Effect.Effect<TeamResolution, CredentialsFailed, TeamCredentials> =>
  Effect.gen(function* () {
    const target = shareTarget(layers)
    if (target.kind === "public") return { target, route: { kind: "direct" } }
    const kept: Readonly<Record<string, TeamCredential>> = yield* (yield* TeamCredentials).list()
    // No database yet (a first start): no console account either.
    const consoleAccounts = yield* Effect.provide(activeOrgAccountURLs, RuntimeDatabase.layer(options.dataDir)).pipe(
      Effect.catch(() => Effect.succeed([] as ReadonlyArray<string>)),
    )
    return { target, route: teamRoute(target, { member: (origin) => kept[origin]?.email, consoleAccounts, pure: options.pure }) }
  })

/** The member token kept for an origin, read each time it is needed (a login during a run counts); none on a read failure. */
export const tokenFor = (credentials: TeamCredentials["Service"]) => (origin: string) =>
  credentials.get(origin).pipe(
    Effect.map((c) => c?.token),
    Effect.catch(() => Effect.succeed(undefined)),
  )
