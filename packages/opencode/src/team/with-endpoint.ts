/**
 * Running something (a runtime in the foreground, a private runtime for one
 * publish) with a team server's endpoint open, and finishing after it: the
 * final full sync of every session shared through the endpoint, read from
 * the runtime's database once the runtime has written it, delivered before
 * the overlay lets go (within `finishWithinMs`; what is left waits in the
 * outbox for the next start).
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { openReadOnly } from "../storage/database.ts"
import { databaseFile, runtimeDataDir } from "../storage/paths.ts"
import { TeamCredentials } from "./credentials.ts"
import { teamEndpoint, type FinishReport, type TeamEndpoint } from "./endpoint.ts"
import type { LedgerFailed } from "./errors.ts"
import { TeamLedger } from "./ledger.ts"
import { tokenFor } from "./resolve.ts"

export type EndpointRun = {
  readonly origin: string
  readonly expires?: string
  /** Folder of the runtime's database (default: `$XDG_DATA_HOME/opencode`). */
  readonly dataDir?: string
  readonly finishWithinMs: number
  readonly ledgerPath?: string
  /** Told once when the final sync takes more than a moment (the terminal would seem to hang otherwise). */
  readonly waiting?: (line: string) => void
}

/** How long the final sync runs before the user is told what the wait is for. */
const QUIET_MS = 1_000

export const withTeamEndpoint = <A, E, R>(
  run: EndpointRun,
  use: (endpoint: TeamEndpoint) => Effect.Effect<A, E, R>,
): Effect.Effect<{ readonly result: A; readonly report: FinishReport }, E | LedgerFailed, R | TeamCredentials> =>
  Effect.scoped(
    Effect.gen(function* () {
      const endpoint = yield* openEndpoint(run)
      const result = yield* use(endpoint)
      return { result, report: yield* finishNow(endpoint, run) }
    }),
  )

/**
 * The endpoint for as long as the caller's scope (a server): when the scope
 * closes, after what was opened later (the runtime) has stopped, the final
 * sync runs and its report goes to `report`.
 */
export const openTeamEndpoint = (run: EndpointRun, report: (lines: ReadonlyArray<string>) => void): Effect.Effect<TeamEndpoint, LedgerFailed, Scope.Scope | TeamCredentials> =>
  Effect.gen(function* () {
    // The finalizer is added first, so it runs last: after the endpoint's server and every later resource closed.
    let opened: TeamEndpoint | undefined
    yield* Effect.addFinalizer(() =>
      opened
        ? finishNow(opened, run).pipe(
            Effect.tap((r) => Effect.sync(() => report(describeReport(run.origin, r)))),
            Effect.catch((e) => Effect.sync(() => report([`sharing with ${run.origin}: ${e.message}`]))),
            Effect.asVoid,
          )
        : Effect.void,
    )
    opened = yield* openEndpoint(run)
    return opened
  })

const openEndpoint = (run: EndpointRun): Effect.Effect<TeamEndpoint, LedgerFailed, Scope.Scope | TeamCredentials> =>
  Effect.gen(function* () {
    const credentials = yield* TeamCredentials
    const ledger = Context.get(yield* Layer.build(TeamLedger.layer(run.ledgerPath)), TeamLedger)
    return yield* teamEndpoint({ origin: run.origin, ledger, token: tokenFor(credentials), ...(run.expires ? { expires: run.expires } : {}) })
  })

/** The final sync, from the runtime's database as it is now (read-only; none means nothing to read again). */
const finishNow = (endpoint: TeamEndpoint, run: EndpointRun): Effect.Effect<FinishReport, LedgerFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const deadline = Date.now() + run.finishWithinMs
      const database = yield* openReadOnly(databaseFile(run.dataDir ?? runtimeDataDir())).pipe(
        Effect.map((handle) => handle.sqlite),
        Effect.catch(() => Effect.succeed(undefined)),
      )
      const waiting = run.waiting
      if (waiting)
        yield* Effect.acquireRelease(
          Effect.sync(() => setTimeout(() => waiting(`sending the shared sessions' last updates to ${run.origin}…`), QUIET_MS)),
          (timer) => Effect.sync(() => clearTimeout(timer)),
        )
      return yield* endpoint.finish(database, deadline)
    }),
  )

/** The report in words for stderr: one line, or none when there is nothing to say. */
export function describeReport(origin: string, report: FinishReport): string[] {
  const lines: string[] = []
  if (report.delivered > 0 || report.waiting > 0)
    lines.push(
      report.waiting === 0
        ? `shared with ${origin}: the server has every update (${report.delivered} sent now).`
        : `${report.waiting} updates for ${origin} wait in the outbox; the next start that shares there sends them.`,
    )
  for (const problem of report.problems) lines.push(`sharing with ${origin}: ${problem}`)
  return lines
}
