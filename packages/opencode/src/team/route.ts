/**
 * Whether the overlay stands between a runtime and a team share server (pure).
 * A share host the config names (`config/share-target.ts`) is a team server
 * the user is a member of when `opencode share login` kept a token for its
 * origin: then the runtime's sharing goes through the overlay's endpoint,
 * which adds the token and redacts. Two things would let the runtime go
 * around it, and each turns sharing off for that start instead, saying why:
 * an active console account with an organisation (the runtime then sends
 * shares to the account's URL, ignoring `enterprise.url`), and `--pure` (no
 * plugins: the guard cannot keep the runtime on the endpoint against an
 * administrator's `enterprise.url`).
 */
import type { ShareTarget } from "../config/share-target.ts"
import { describeSource, type LayerSource } from "../config/layer.ts"
import { teamOrigin } from "./server-url.ts"

export type TeamRoute =
  /** The runtime shares as it would (the public service, or a host no token is kept for). */
  | { readonly kind: "direct" }
  | { readonly kind: "team"; readonly origin: string; readonly email: string; readonly source: LayerSource }
  /** A team server is named, and sharing cannot go there safely on this start: off, and why. */
  | { readonly kind: "refused"; readonly origin: string; readonly reason: string }

export type RouteFacts = {
  /** The member e-mail a token is kept for, by origin. */
  readonly member: (origin: string) => string | undefined
  /** URLs of active console accounts with an organisation. */
  readonly consoleAccounts: ReadonlyArray<string>
  /** The runtime is started with `--pure`. */
  readonly pure: boolean
}

export function teamRoute(target: ShareTarget, facts: RouteFacts): TeamRoute {
  if (target.kind !== "named") return { kind: "direct" }
  const read = teamOrigin(target.url)
  if ("problem" in read) return { kind: "direct" }
  const email = facts.member(read.origin)
  if (email === undefined) return { kind: "direct" }
  const origin = read.origin
  if (facts.consoleAccounts.length > 0)
    return {
      kind: "refused",
      origin,
      reason: `a console account with an organisation is active (${facts.consoleAccounts.join(", ")}): the runtime would send shares there, not to the team server ${origin} that ${describeSource(target.source)} names. Sharing is off for this start; sign out of the console account to share with your team.`,
    }
  if (facts.pure)
    return {
      kind: "refused",
      origin,
      reason: `--pure starts the runtime without plugins, so the overlay cannot keep its sharing on the way to ${origin} (member token, redaction). Sharing is off for this start; start without --pure to share with your team.`,
    }
  return { kind: "team", origin, email, source: target.source }
}

/** Where a publish goes and who can read it, in words. */
export const audienceOf = (route: TeamRoute, target: ShareTarget): string =>
  route.kind === "team"
    ? `the team server ${route.origin} (members only; signed in as ${route.email})`
    : route.kind === "refused"
      ? `nowhere (${route.reason})`
      : target.kind === "public"
        ? `${target.url}, the public service (anyone with the link)`
        : `${target.url} (no member token kept for it here: the runtime publishes there itself, unredacted, to whoever that server lets read)`
