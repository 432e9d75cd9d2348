/**
 * Publications: the overlay's replacement of the runtime's share service. It
 * decides with the share policy and only then asks the runtime, through the
 * runtime's own HTTP API, to publish; revoking is always allowed.
 */
import { existsSync } from "node:fs"
import { dirname } from "node:path"
import type { OpencodeClient } from "@opencode-ai/sdk/v2"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SharePolicy } from "../config/policy.ts"
import { ShareConfig } from "../config/service.ts"
import { startRuntimeServer } from "../runtime/server.ts"
import { Runtime } from "../runtime/service.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import { EXPORT_HINT } from "./constants.ts"
import { SessionNotPublished, ShareDisabled, ShareRequestFailed, UnknownSession } from "./errors.ts"
import { contentProblemMessage, launchEnvironment, revokeEnvironment } from "./launch-env.ts"
import { listPublished, sessionForPublishing, type Published } from "../storage/published.ts"
import { runtimeDataDir } from "../storage/paths.ts"
import { consoleSource, wellKnownSources, type RemoteConfigSource } from "../config/remote.ts"
import { activeOrgAccountURLs } from "../storage/accounts.ts"
import { refusal } from "./refusal.ts"
import type { Env } from "../config/env.ts"
import { TeamCredentials } from "../team/credentials.ts"
import type { CredentialsFailed, LedgerFailed } from "../team/errors.ts"
import { TeamDeliveryIncomplete, TeamShareRefused } from "../team/errors.ts"
import { ledgerPath, TeamLedger, type Publication } from "../team/ledger.ts"
import { resolveTeamRoute, type TeamResolution } from "../team/resolve.ts"
import { audienceOf } from "../team/route.ts"
import { revokeOnServer } from "../team/server-api.ts"
import type { TeamEndpoint } from "../team/endpoint.ts"
import { describeReport, withTeamEndpoint } from "../team/with-endpoint.ts"

export type ShareStatus = {
  readonly policy: SharePolicy
  /** Where this folder's sharing goes, and whether through the overlay to a team server. */
  readonly team: TeamResolution
  /** Member tokens kept here, by server origin (never the tokens). */
  readonly signedIn: ReadonlyArray<{ readonly origin: string; readonly email: string }>
  /** Shares on team servers published from this machine (the ledger), with items still waiting to be delivered. */
  readonly teamShares: ReadonlyArray<Omit<Publication, "secret"> & { readonly waiting: number }>
  readonly published: ReadonlyArray<Published>
  /** Config the runtime fetches at start, which the policy cannot read: it may disable sharing further, never enable it. */
  readonly remote: ReadonlyArray<RemoteConfigSource>
}

type DbError = DatabaseMissing | DatabaseUnreadable
type TeamError = CredentialsFailed | LedgerFailed | TeamShareRefused | TeamDeliveryIncomplete

/** A publish done: the link, and where it went in words. */
export type Shared = { readonly url: string; readonly audience: string }

/** How long `opencode share <id>` waits for a team server to take the session. */
const TEAM_FINISH_MS = 120_000

export class Publications extends Context.Service<
  Publications,
  {
    readonly status: (directory: string) => Effect.Effect<ShareStatus, DatabaseUnreadable | CredentialsFailed | LedgerFailed>
    readonly published: () => Effect.Effect<ReadonlyArray<Published>, DatabaseUnreadable>
    readonly share: (
      sessionID: string,
      options?: { readonly expires?: string },
    ) => Effect.Effect<Shared, ShareDisabled | ShareRequestFailed | UnknownSession | DbError | TeamError>
    readonly unshare: (
      sessionID: string,
    ) => Effect.Effect<Published, SessionNotPublished | ShareRequestFailed | UnknownSession | DbError | TeamError>
  }
>()("overlay/Publications") {
  /**
   * `open` gives the runtime database (read-only) for each call; `env` and
   * `cwd` are the overlay's own, where a request to publish comes from.
   */
  static readonly layer = (
    open: Layer.Layer<RuntimeDatabase, DbError>,
    env: Env = process.env,
    cwd: string = process.cwd(),
    /** The folder of the runtime's database `open` opens (the final sync to a team server reads it). */
    dataDir?: string,
  ): Layer.Layer<Publications, never, Runtime | ShareConfig | TeamCredentials> =>
    Layer.effect(
      Publications,
      Effect.gen(function* () {
        const config = yield* ShareConfig
        const runtime = yield* Runtime
        const credentials = yield* TeamCredentials
        const withCredentials = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, TeamCredentials, credentials)
        const team = (directory: string) =>
          Effect.flatMap(config.layers(directory, env), (layers) => withCredentials(resolveTeamRoute(layers, { pure: false, ...(dataDir ? { dataDir } : {}) })))
        const withLedger = <A, E>(effect: Effect.Effect<A, E, TeamLedger>) => Effect.provide(effect, TeamLedger.layer(ledgerPath(env)))
        /** What the ledger says, or `none` where nothing was ever shared to a team here (a status creates no file). */
        const readLedger = <A, E>(effect: Effect.Effect<A, E, TeamLedger>, none: A) =>
          existsSync(ledgerPath(env)) ? withLedger(effect) : Effect.succeed(none)
        const withDb = <A, E>(effect: Effect.Effect<A, E, RuntimeDatabase>) => Effect.provide(effect, open)

        const published = () =>
          withDb(listPublished).pipe(
            Effect.catchTag("DatabaseMissing", () => Effect.succeed([] as ReadonlyArray<Published>)),
          )

        const lookup = (sessionID: string) =>
          withDb(
            Effect.gen(function* () {
              const row = yield* sessionForPublishing(sessionID)
              if (!row) return yield* new UnknownSession({ sessionID, message: `No session ${sessionID} in the runtime's database.` })
              return row
            }),
          )

        /** Runs `request` against a private runtime server started in `cwd` with `env`. */
        const withServer = <A>(cwd: string, serverEnv: Env, what: string, request: (s: { client: OpencodeClient }) => Promise<A>) =>
          Effect.scoped(
            Effect.gen(function* () {
              const server = yield* startRuntimeServer({ env: serverEnv, cwd })
              return yield* Effect.tryPromise({
                try: () => request(server),
                catch: (cause) => new ShareRequestFailed({ message: `The runtime could not ${what}: ${String(cause)}` }),
              })
            }),
          ).pipe(
            Effect.provideService(Runtime, runtime),
            Effect.catchTag("RuntimeSpawnFailed", (e) => Effect.fail(new ShareRequestFailed({ message: e.message }))),
          )

        /** Takes a team share down with the ledger's secret and the member's token, without the runtime. */
        const revokeFromLedger = (entry: Publication) =>
          Effect.gen(function* () {
            const token = yield* Effect.map(credentials.get(entry.origin), (c) => c?.token)
            if (!token)
              return yield* new TeamShareRefused({ origin: entry.origin, message: `Not signed in to ${entry.origin}: run opencode share login ${entry.origin}, then revoke again.` })
            const answer = yield* Effect.promise(() => revokeOnServer(entry.origin, entry.shareID, entry.secret, token))
            if (!answer.done) return yield* new ShareRequestFailed({ message: `${entry.origin} did not take share ${entry.shareID} down: ${answer.message}` })
            yield* withLedger(Effect.flatMap(TeamLedger, (ledger) => ledger.revoked(entry.origin, entry.shareID, Date.now())))
            return { sessionID: entry.sessionID, title: "", directory: "", url: entry.url, state: "live" } satisfies Published
          })

        return Publications.of({
          published,
          status: (directory) =>
            Effect.gen(function* () {
              const policy = yield* config.policy(directory, env)
              // Where the database lives, so does the runtime's auth.json; without one, where it would live.
              const remote = yield* withDb(
                Effect.gen(function* () {
                  const { path } = yield* RuntimeDatabase
                  return [...wellKnownSources(dirname(path)), ...(yield* activeOrgAccountURLs).map(consoleSource)]
                }),
              ).pipe(Effect.catchTag("DatabaseMissing", () => Effect.succeed(wellKnownSources(runtimeDataDir(env)))))
              const resolved = yield* team(directory)
              const kept = yield* credentials.list()
              const signedIn = Object.entries(kept).map(([origin, c]) => ({ origin, email: c.email }))
              const teamShares = yield* readLedger(
                Effect.gen(function* () {
                  const ledger = yield* TeamLedger
                  const waiting = new Map((yield* ledger.pending()).map((p) => [`${p.origin} ${p.shareID}`, p.items]))
                  // Never the secrets: a status is printed and pasted.
                  return (yield* ledger.publications()).map(({ secret: _, ...p }) => ({ ...p, waiting: waiting.get(`${p.origin} ${p.shareID}`) ?? 0 }))
                }),
                [] as ShareStatus["teamShares"],
              )
              return { policy, team: resolved, signedIn, teamShares, published: yield* published(), remote }
            }),
          share: (sessionID, options = {}) =>
            Effect.gen(function* () {
              const refuse = (policy: SharePolicy) => {
                const r = refusal(policy, `publishing session ${sessionID}`)
                return new ShareDisabled({ message: r.message, lines: r.lines, policy, exportCommand: EXPORT_HINT })
              }
              // Both where the request comes from and the session's own project must allow it;
              // the first check needs no database, so a disabled project refuses at once.
              const here = yield* config.policy(cwd, env)
              if (here.mode === "disabled") return yield* refuse(here)
              const target = yield* lookup(sessionID)
              const policy = yield* config.policy(target.directory, env)
              if (policy.mode === "disabled") return yield* refuse(policy)
              const { target: shareHost, route } = yield* team(target.directory)
              if (route.kind === "refused") return yield* new TeamShareRefused({ origin: route.origin, message: `Not published: ${route.reason}` })
              if (options.expires !== undefined && route.kind !== "team")
                return yield* new TeamShareRefused({
                  origin: shareHost.url,
                  message: `--expires is kept by a team share server; this project shares to ${audienceOf(route, shareHost)}, which keeps shares as it decides.`,
                })
              /** The runtime publishes (its share record, its link); through the team endpoint when there is one. */
              const publish = (endpoint?: TeamEndpoint) =>
                Effect.gen(function* () {
                  const launchEnv = launchEnvironment(env, policy, endpoint ? { team: endpoint } : {})
                  if (!launchEnv.ok) return yield* new ShareRequestFailed({ message: contentProblemMessage(launchEnv.problem) })
                  const shared = yield* withServer(target.directory, launchEnv.env, "publish the session", async ({ client }) => {
                    const result = await client.session.share({ sessionID, directory: target.directory })
                    if (result.error) throw new Error(JSON.stringify(result.error))
                    return result.data
                  })
                  const url = (shared as { share?: { url?: string } } | undefined)?.share?.url
                  if (!url) return yield* new ShareRequestFailed({ message: "The runtime answered without a share link." })
                  return url
                })
              const audience = audienceOf(route, shareHost)
              if (route.kind !== "team") return { url: yield* publish(), audience }
              // The private runtime stops before its own sync: the endpoint's final sync sends the session from the database.
              const { result: url, report } = yield* withCredentials(
                withTeamEndpoint(
                  { origin: route.origin, finishWithinMs: TEAM_FINISH_MS, ledgerPath: ledgerPath(env), ...(dataDir ? { dataDir } : {}), ...(options.expires ? { expires: options.expires } : {}) },
                  publish,
                ),
              )
              if (report.waiting > 0 || report.problems.length > 0)
                return yield* new TeamDeliveryIncomplete({
                  origin: route.origin,
                  message: [`Published at ${url}, but the server does not have all of the session yet.`, ...describeReport(route.origin, report)].join(" "),
                })
              return { url, audience }
            }),
          unshare: (sessionID) =>
            Effect.gen(function* () {
              const entry = yield* readLedger(Effect.flatMap(TeamLedger, (ledger) => ledger.ofSession(sessionID)), undefined)
              const found = yield* withDb(sessionForPublishing(sessionID)).pipe(Effect.catchTag("DatabaseMissing", () => Effect.succeed(undefined)))
              // Published to a team server and gone from here (deleted, or another home): revoked from the ledger.
              if (!found && entry) return yield* revokeFromLedger(entry)
              const target = yield* lookup(sessionID)
              const before = (yield* published()).find((p) => p.sessionID === sessionID)
              if (!before || before.state !== "live")
                return yield* new SessionNotPublished({
                  sessionID,
                  message: before
                    ? `Session ${sessionID} has a recorded link (${before.url}) but no share record on this machine: it was revoked already, or published elsewhere. Nothing to revoke here.`
                    : `Session ${sessionID} was never published from this machine; nothing to revoke.`,
                })
              const revoke = (endpoint?: TeamEndpoint) =>
                withServer(target.directory, revokeEnvironment(env, endpoint ? { team: endpoint } : {}), "revoke the public link", async ({ client }) => {
                  const result = await client.session.unshare({ sessionID, directory: target.directory })
                  if (result.error) throw new Error(JSON.stringify(result.error))
                })
              // A team server's share: the runtime's revoke goes through the endpoint, which holds the member token.
              if (entry && entry.url === before.url)
                yield* withCredentials(withTeamEndpoint({ origin: entry.origin, finishWithinMs: 0, ledgerPath: ledgerPath(env) }, revoke))
              else yield* revoke()
              // The runtime answers 200 even where it did nothing; its database says what happened.
              const after = (yield* published()).find((p) => p.sessionID === sessionID)
              if (after?.state === "live")
                return yield* new ShareRequestFailed({
                  message: `The runtime kept the share record of ${sessionID}; the public copy at ${before.url} may still exist.`,
                })
              return before
            }),
        })
      }),
    )
}
