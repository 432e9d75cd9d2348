/**
 * Asking a team share server who a token belongs to (`GET /api/me`): what
 * `opencode share login` checks before it keeps a token.
 */
import * as Effect from "effect/Effect"
import { TeamServerUnreachable, TeamTokenRefused } from "./errors.ts"

const TIMEOUT_MS = 15_000

export const memberOf = (origin: string, token: string): Effect.Effect<string, TeamTokenRefused | TeamServerUnreachable> =>
  Effect.gen(function* () {
    const response = yield* Effect.tryPromise({
      try: () => fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) }),
      catch: (cause) => new TeamServerUnreachable({ origin, message: `Cannot reach the share server at ${origin}: ${cause instanceof Error ? cause.message : String(cause)}` }),
    })
    const body = yield* Effect.promise(() => response.json().catch(() => undefined) as Promise<unknown>)
    if (response.status === 401 || response.status === 403) {
      const said = typeof body === "object" && body !== null && "message" in body ? ` (it says: ${String(body.message)})` : ""
      return yield* new TeamTokenRefused({ origin, message: `The share server at ${origin} does not take this token${said}. Ask an administrator for a member token.` })
    }
    const email = typeof body === "object" && body !== null && "email" in body && typeof body.email === "string" ? body.email : undefined
    if (response.status !== 200 || !email)
      return yield* new TeamServerUnreachable({ origin, message: `${origin} did not answer as an opencode share server does (HTTP ${response.status}). Is it the right address?` })
    return email
  })
