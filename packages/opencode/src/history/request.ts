/**
 * A search as the CLI and the server receive it (pure): the query and the
 * filters, read and checked the same way for both, and a hit as both answer
 * it in JSON. The types are what the web app imports (`@local/opencode/search`).
 */
import { parseSince, SINCE_FORMATS } from "../export/document/since.ts"
import { ROLES, type Role } from "./entries.ts"
import { parseQuery } from "./query.ts"
import { MARK_END, MARK_START, type Hit, type SearchFilters } from "./search.ts"

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 500

/** The fields of a search, as text (command-line options, URL query parameters). */
export type SearchInput = {
  readonly q?: string
  readonly project?: string
  readonly since?: string
  readonly session?: string
  readonly role?: string
  readonly tool?: string
  readonly limit?: string
}

export type SearchRequest = { readonly query: string; readonly match: string; readonly filters: SearchFilters }

/**
 * The search `input` asks for, or what is wrong with it. `name` says a field
 * as its caller's users know it (`--role` on the command line, `role` in a URL);
 * `folder` makes a project folder absolute.
 */
export function readSearch(
  input: SearchInput,
  options: { readonly now: number; readonly name: (field: string) => string; readonly folder: (path: string) => string },
): SearchRequest | { readonly problem: string } {
  const { name } = options
  const query = (input.q ?? "").trim()
  if (query === "") return { problem: "say what to search for" }
  const parsed = parseQuery(query)
  if ("problem" in parsed) return { problem: `cannot read the query ${JSON.stringify(query)}: ${parsed.problem}` }
  const limit = input.limit === undefined ? DEFAULT_LIMIT : Number(input.limit)
  if (!/^\d+$/.test(input.limit ?? "1") || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return { problem: `${name("limit")} must be a whole number from 1 to ${MAX_LIMIT}, not ${JSON.stringify(input.limit)}` }
  let since: number | undefined
  if (input.since !== undefined) {
    since = parseSince(input.since, options.now)
    if (since === undefined) return { problem: `${name("since")} ${JSON.stringify(input.since)} is not ${SINCE_FORMATS}` }
  }
  if (input.role !== undefined && !ROLES.includes(input.role as Role))
    return { problem: `${name("role")} must be one of ${ROLES.join(", ")}, not ${JSON.stringify(input.role)}` }
  for (const key of ["project", "session", "tool"] as const)
    if (input[key] !== undefined && input[key].trim() === "") return { problem: `${name(key)} needs a value` }
  return {
    query,
    match: parsed.match,
    filters: {
      limit,
      ...(since !== undefined ? { since } : {}),
      ...(input.project !== undefined ? { project: options.folder(input.project) } : {}),
      ...(input.session !== undefined ? { session: input.session } : {}),
      ...(input.role !== undefined ? { role: input.role as Role } : {}),
      ...(input.tool !== undefined ? { tool: input.tool } : {}),
    },
  }
}

/** The words around a hit on one line, and where the matched words are in it. */
export function snippetOf(marked: string): { readonly text: string; readonly highlights: ReadonlyArray<readonly [number, number]> } {
  const flat = marked.replace(/\s+/g, " ").trim()
  let text = ""
  const highlights: Array<[number, number]> = []
  let start = -1
  for (const char of flat) {
    if (char === MARK_START) start = text.length
    else if (char === MARK_END) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length])
      start = -1
    } else text += char
  }
  return { text, highlights }
}

export type HitJson = {
  readonly sessionID: string
  /** The top-level session: what to open (itself, unless the hit is in a subagent session). */
  readonly rootSessionID: string
  readonly title: string
  readonly rootTitle: string
  readonly directory: string
  /** ISO 8601. */
  readonly time: string
  readonly role: Role | "title"
  readonly kind: string
  readonly tool: string | null
  readonly messageID: string | null
  readonly partID: string | null
  readonly snippet: string
  /** `[start, end)` of each matched word in `snippet`. */
  readonly highlights: ReadonlyArray<readonly [number, number]>
  readonly open: { readonly tui: string; readonly web: string }
}

export type SearchAnswer = { readonly query: string; readonly hits: ReadonlyArray<HitJson> }

export function hitJson(hit: Hit): HitJson {
  const { text, highlights } = snippetOf(hit.snippet)
  return {
    sessionID: hit.sessionID,
    rootSessionID: hit.rootID,
    title: hit.title,
    rootTitle: hit.rootTitle,
    directory: hit.directory,
    time: new Date(hit.time).toISOString(),
    role: hit.role,
    kind: hit.kind,
    tool: hit.tool,
    messageID: hit.messageID,
    partID: hit.partID,
    snippet: text,
    highlights,
    open: { tui: `opencode -s ${hit.rootID}`, web: `/logs/#/session/${hit.rootID}` },
  }
}
