/**
 * Where sessions come from: the runtime's database (read-only, the default)
 * or a running runtime's HTTP API (`--attach`). Both give the same session
 * tree; the layers live in source-db.ts and source-attach.ts.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { SessionNotFound, SessionMatch, SourceUnavailable } from "../document/errors.ts"
import type { Screen } from "../screen/screen.ts"
import type { SessionTree, Versioned } from "../document/tree.ts"

export type SessionSummary = {
  readonly id: string
  readonly slug: string
  readonly title: string
  readonly directory: string
  readonly parentID?: string
  readonly time: { readonly created: number; readonly updated: number }
}

export type ListFilter = {
  /** Only sessions that are not subagent sessions. */
  readonly roots: boolean
  /** Only sessions updated at or after this time (ms). */
  readonly since?: number
  readonly limit?: number
}

export type LoadOptions = {
  /** Load subagent sessions too (nested, recursively). */
  readonly children: boolean
  /** What the sanitizer will screen for; a source may screen ahead (on another core) to save it the work. */
  readonly screen?: Screen
}

export class SessionSource extends Context.Service<
  SessionSource,
  {
    readonly kind: "database" | "attach"
    /** Where the sessions are, for messages: a database path or a server URL. */
    readonly where: string
    /** The runtime that wrote (database) or serves (attach) the sessions. */
    readonly runtime: Versioned
    /** Sessions, most recently updated first. */
    readonly list: (filter: ListFilter) => Effect.Effect<ReadonlyArray<SessionSummary>, SourceUnavailable>
    /** The most recently updated top-level session of the project that holds `directory`. */
    readonly latest: (directory: string) => Effect.Effect<SessionSummary | undefined, SourceUnavailable>
    /**
     * The session's tree. Its messages are read while it is rendered, so it
     * must be rendered inside the scope (the database source reads it all
     * from one consistent snapshot).
     */
    readonly load: (
      id: string,
      options: LoadOptions,
    ) => Effect.Effect<SessionTree, SessionNotFound | SourceUnavailable, Scope.Scope>
  }
>()("overlay/SessionSource") {}

/** Edit distance between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[b.length]!
}

/** The sessions whose ids are closest to `id` (a prefix or a typo away), best first. */
export function nearestSessions(id: string, sessions: ReadonlyArray<SessionMatch>, limit = 3): ReadonlyArray<SessionMatch> {
  const needle = id.trim().toLowerCase()
  if (needle === "") return []
  const scored = sessions.map((s) => {
    const candidate = s.id.toLowerCase()
    const score = candidate.startsWith(needle) || candidate.includes(needle) ? 0 : 1 + distance(needle, candidate)
    return { s, score }
  })
  const worst = Math.max(6, Math.ceil(needle.length / 2))
  return scored
    .filter((x) => x.score <= worst)
    .sort((a, b) => a.score - b.score || a.s.id.localeCompare(b.s.id))
    .slice(0, limit)
    .map((x) => x.s)
}
