/**
 * The export's read path on the runtime's database: plain prepared
 * statements over `bun:sqlite` (per-row ORM mapping and loading drizzle cost
 * more than these queries), each written once here for the export's source
 * and its prescan thread, which must read messages and parts in the same order.
 */
import type { Database } from "bun:sqlite"
import type { Todo } from "@opencode-ai/sdk/v2"
import type { SessionRow } from "./schema.ts"
import { SELECT_SESSION } from "./session-select.ts"

export type SummaryRow = {
  readonly id: string
  readonly slug: string
  readonly title: string
  readonly directory: string
  readonly parentID: string | null
  readonly timeCreated: number
  readonly timeUpdated: number
}

const SUMMARY_COLUMNS = `id, slug, title, directory, parent_id as "parentID", time_created as "timeCreated", time_updated as "timeUpdated"`
const NEWEST_FIRST = "order by time_updated desc, id desc"

/** Sessions, newest first: only top-level ones (`roots`), updated at or after `since`, at most `limit`. */
export function sessionSummaries(sqlite: Database, filter: { readonly roots?: boolean; readonly since?: number; readonly limit?: number }): SummaryRow[] {
  const conditions: string[] = []
  const params: number[] = []
  if (filter.roots) conditions.push("parent_id is null")
  if (filter.since !== undefined) {
    conditions.push("time_updated >= ?")
    params.push(filter.since)
  }
  const where = conditions.length > 0 ? `where ${conditions.join(" and ")}` : ""
  let limit = ""
  if (filter.limit !== undefined) {
    limit = "limit ?"
    params.push(filter.limit)
  }
  return sqlite.query<SummaryRow, number[]>(`select ${SUMMARY_COLUMNS} from session ${where} ${NEWEST_FIRST} ${limit}`).all(...params)
}

/** Top-level sessions of one project (or of all), newest first. */
export function rootSummaries(sqlite: Database, projectID?: string): SummaryRow[] {
  const roots = `select ${SUMMARY_COLUMNS} from session where parent_id is null`
  return projectID !== undefined
    ? sqlite.query<SummaryRow, [string]>(`${roots} and project_id = ? ${NEWEST_FIRST}`).all(projectID)
    : sqlite.query<SummaryRow, []>(`${roots} ${NEWEST_FIRST}`).all()
}

export const projectWorktrees = (sqlite: Database) => sqlite.query<{ id: string; worktree: string }, []>("select id, worktree from project").all()

export const sessionRow = (sqlite: Database, id: string): SessionRow | null => sqlite.query<SessionRow, [string]>(`${SELECT_SESSION} where id = ?`).get(id)

export const sessionTitles = (sqlite: Database) => sqlite.query<{ id: string; title: string }, []>("select id, title from session").all()

/** A session's subagent sessions, oldest first. */
export const childRows = (sqlite: Database, parentID: string): SessionRow[] =>
  sqlite.query<SessionRow, [string]>(`${SELECT_SESSION} where parent_id = ? order by time_created, id`).all(parentID)

export const todosOf = (sqlite: Database, sessionID: string): Todo[] =>
  sqlite.query<Todo, [string]>("select content, status, priority from todo where session_id = ? order by position").all(sessionID)

/** The stored JSON of `limit` of a session's parts, in the order its index gives them (no sort: a sample). */
export const someParts = (sqlite: Database, sessionID: string, limit: number): string[] =>
  sqlite
    .query<{ data: string }, [string, number]>("select data from part where session_id = ? limit ?")
    .all(sessionID, limit)
    .map((row) => row.data)

export const partCount = (sqlite: Database, sessionID: string): number =>
  sqlite.query<{ n: number }, [string]>("select count(*) as n from part where session_id = ?").get(sessionID)?.n ?? 0

/** Sessions with a share record (the runtime's `session_share`) updated at or after `since`: what a share's final sync must send. */
export const sharedSince = (sqlite: Database, since: number) =>
  sqlite
    .query<{ sessionID: string; shareID: string }, [number]>(
      "select s.id as sessionID, ss.id as shareID from session_share ss join session s on s.id = ss.session_id where s.time_updated >= ?",
    )
    .all(since)

/** One part with its message, by the part's id (a search hit's text is read again from here). */
export type PartWithMessage = { readonly partID: string; readonly partData: string; readonly messageID: string; readonly messageData: string; readonly sessionID: string }

export const partsWithMessages = (sqlite: Database) =>
  sqlite.prepare<PartWithMessage, [string]>(
    "select p.id as partID, p.data as partData, m.id as messageID, m.data as messageData, p.session_id as sessionID from part p join message m on m.id = p.message_id where p.id = ?",
  )

export type MessageRow = { readonly id: string; readonly data: string }
export type PartRow = { readonly id: string; readonly data: string }

/**
 * A session's messages in order (`time_created`, then id), and each message's
 * parts by id: the order of the (message_id, id) index. One join over the
 * whole session was slower (45 vs 38 ms for the benchmark's M session's
 * 52 MB): SQLite sorted each message's parts, data and all, in a temporary
 * b-tree. Fresh statements each time (finalize them): bun's cached `query()`
 * statements cannot be iterated twice at once, and subagent sessions nest.
 */
export type PartHead = { readonly id: string; readonly messageID: string; readonly timeUpdated: number }

export function conversationStatements(sqlite: Database) {
  const messages = sqlite.prepare<MessageRow, [string]>("select m.id, m.data from message m where m.session_id = ? order by m.time_created, m.id")
  const parts = sqlite.prepare<PartRow, [string]>("select id, data from part where message_id = ? order by id")
  const heads = sqlite.prepare<PartHead, [string]>("select id, message_id as messageID, time_updated as timeUpdated from part where session_id = ?")
  const recentHeads = sqlite.prepare<PartHead, [string, number]>(
    "select p.id, p.message_id as messageID, p.time_updated as timeUpdated from message m join part p on p.message_id = m.id where m.session_id = ? and m.time_created >= ?",
  )
  const message = sqlite.prepare<MessageRow, [string, string]>("select id, data from message where id = ? and session_id = ?")
  const newest = sqlite.prepare<{ t: number | null }, [string]>("select max(time_created) as t from message where session_id = ?")
  return {
    messages: (sessionID: string) => messages.iterate(sessionID),
    /** One message of a session, by id. */
    message: (messageID: string, sessionID: string) => message.get(messageID, sessionID),
    parts: (messageID: string) => parts.all(messageID),
    /** Each part of a session without its data: what changed can be told before anything is read. */
    heads: (sessionID: string) => heads.iterate(sessionID),
    /**
     * The parts of the messages created at or after `since` (the session's
     * index on messages: a few rows for a new turn, where `heads` reads every part).
     */
    recentHeads: (sessionID: string, since: number) => recentHeads.iterate(sessionID, since),
    /** When the session's newest message was created (0 for none). */
    newestMessage: (sessionID: string) => newest.get(sessionID)?.t ?? 0,
    finalize: () => {
      for (const statement of [messages, parts, heads, recentHeads, message, newest]) statement.finalize()
    },
  }
}

/** One read transaction, so that a session being written reads as one snapshot. */
export const beginRead = (sqlite: Database) => sqlite.exec("BEGIN")
export const endRead = (sqlite: Database) => sqlite.exec("COMMIT")
