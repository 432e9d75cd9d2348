/**
 * A search over the index: FTS5's BM25 relevance, weighed by age (a hit 30 days
 * old counts half, 60 days a third), so among hits about as relevant the newest
 * come first. Filters narrow by project folder, time, session (with its
 * subagent sessions), who said it and tool.
 */
import type { Database } from "bun:sqlite"
import type { Role } from "./entries.ts"

export type SearchFilters = {
  /** Sessions of this folder or a folder inside it. */
  readonly project?: string
  /** Texts written at or after this time (ms). */
  readonly since?: number
  /** This session and its subagent sessions. */
  readonly session?: string
  readonly role?: Role
  readonly tool?: string
  readonly limit: number
}

export type Hit = {
  readonly sessionID: string
  /** The top-level session it belongs to (itself when it is one): what to open. */
  readonly rootID: string
  readonly title: string
  /** The top-level session's title, when the hit is in a subagent session. */
  readonly rootTitle: string
  readonly directory: string
  readonly messageID: string | null
  readonly partID: string | null
  readonly role: Role | "title"
  readonly kind: string
  readonly tool: string | null
  readonly time: number
  /** The text around the hit, with each matched word between `MARK_START` and `MARK_END`. */
  readonly snippet: string
}

/** A hit as the index finds it, before its snippet is made (snippets.ts). */
export type Found = Omit<Hit, "snippet">

export const MARK_START = "\u0002"
export const MARK_END = "\u0003"

const HALF_LIFE_MS = 30 * 86_400_000

/** Escapes `%`, `_` and `\` for a LIKE pattern with `escape '\'`. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

export function search(index: Database, match: string, filters: SearchFilters, now: number = Date.now()): Found[] {
  const where: string[] = ["entry match ?"]
  const params: Array<string | number> = [match]
  if (filters.project !== undefined) {
    const folder = filters.project.replace(/\/+$/, "") || "/"
    where.push("(s.directory = ? or s.directory like ? escape '\\')")
    params.push(folder, `${likeEscaped(folder === "/" ? "" : folder)}/%`)
  }
  if (filters.since !== undefined) {
    where.push("r.time >= ?")
    params.push(filters.since)
  }
  if (filters.session !== undefined) {
    where.push("r.session_id in (select id from tree)")
  }
  if (filters.role !== undefined) {
    where.push("r.role = ?")
    params.push(filters.role)
  }
  if (filters.tool !== undefined) {
    where.push("r.tool = ?")
    params.push(filters.tool)
  }
  const tree =
    filters.session !== undefined
      ? `with recursive tree(id) as (select ? union select s2.id from session s2 join tree on s2.parent_id = tree.id) `
      : ""
  const sql = `${tree}
    select r.session_id as sessionID, s.title as title, s.directory as directory, r.message_id as messageID,
      r.part_id as partID, r.role as role, r.kind as kind, r.tool as tool, r.time as time
    from entry join entry_row r on r.rowid = entry.rowid join session s on s.id = r.session_id
    where ${where.join(" and ")}
    order by bm25(entry) * (1.0 / (1.0 + max(0, ? - r.time) / ${HALF_LIFE_MS}.0)), r.time desc
    limit ?`
  const rows = index
    .query<Omit<Found, "rootID" | "rootTitle">, Array<string | number>>(sql)
    .all(...(filters.session !== undefined ? [filters.session] : []), ...params, now, filters.limit)
  const roots = rootsOf(index)
  return rows.map((row) => {
    const root = roots(row.sessionID)
    return { ...row, rootID: root.id, rootTitle: root.title }
  })
}

/** The top-level session above a session (memoized: hits of one search share a few sessions). */
function rootsOf(index: Database) {
  const parent = index.prepare<{ parent_id: string | null; title: string }, [string]>("select parent_id, title from session where id = ?")
  const memo = new Map<string, { id: string; title: string }>()
  const rootOf = (id: string, depth = 0): { id: string; title: string } => {
    const known = memo.get(id)
    if (known) return known
    const row = parent.get(id)
    const root = row?.parent_id && depth < 32 ? rootOf(row.parent_id, depth + 1) : { id, title: row?.title ?? "" }
    memo.set(id, root)
    return root
  }
  return rootOf
}
