/**
 * Publications: the overlay's replacement of the runtime's share service. It
 * decides with the share policy and only then asks the runtime, through the
 * runtime's own HTTP API, to publish; revoking is always allowed.
 */
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

export type ShareStatus = {
  readonly policy: SharePolicy
  readonly published: ReadonlyArray<Published>
  /** Config the runtime fetches at start, which the policy cannot read: it may disable sharing further, never enable it. */
  readonly remote: ReadonlyArray<RemoteConfigSource>
}

type DbError = DatabaseMissing | DatabaseUnreadable

export class Publications extends Context.Service<
  Publications,
  {
    readonly status: (directory: string) => Effect.Effect<ShareStatus, DatabaseUnreadable>
    readonly published: () => Effect.Effect<ReadonlyArray<Published>, DatabaseUnreadable>
    readonly share: (
      sessionID: string,
    ) => Effect.Effect<{ readonly url: string }, ShareDisabled | ShareRequestFailed | UnknownSession | DbError>
    readonly unshare: (
      sessionID: string,
    ) => Effect.Effect<Published, SessionNotPublished | ShareRequestFailed | UnknownSession | DbError>
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
  ): Layer.Layer<Publications, never, Runtime | ShareConfig> =>
    Layer.effect(
      Publications,
      Effect.gen(function* () {
        const config = yield* ShareConfig
        const runtime = yield* Runtime
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
              return { policy, published: yield* published(), remote }
            }),
          share: (sessionID) =>
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
              const launchEnv = launchEnvironment(env, policy)
              if (!launchEnv.ok)
                return yield* new ShareRequestFailed({ message: contentProblemMessage(launchEnv.problem) })
              const shared = yield* withServer(target.directory, launchEnv.env, "publish the session", async ({ client }) => {
                const result = await client.session.share({ sessionID, directory: target.directory })
                if (result.error) throw new Error(JSON.stringify(result.error))
                return result.data
              })
              const url = (shared as { share?: { url?: string } } | undefined)?.share?.url
              if (!url) return yield* new ShareRequestFailed({ message: "The runtime answered without a share link." })
              return { url }
            }),
          unshare: (sessionID) =>
            Effect.gen(function* () {
              const target = yield* lookup(sessionID)
              const before = (yield* published()).find((p) => p.sessionID === sessionID)
              if (!before || before.state !== "live")
                return yield* new SessionNotPublished({
                  sessionID,
                  message: before
                    ? `Session ${sessionID} has a recorded link (${before.url}) but no share record on this machine: it was revoked already, or published elsewhere. Nothing to revoke here.`
                    : `Session ${sessionID} was never published from this machine; nothing to revoke.`,
                })
              yield* withServer(target.directory, revokeEnvironment(env), "revoke the public link", async ({ client }) => {
                const result = await client.session.unshare({ sessionID, directory: target.directory })
                if (result.error) throw new Error(JSON.stringify(result.error))
              })
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
