/**
 * The runtime's tables the overlay reads, as drizzle schema. Only the columns
 * we use are declared; the runtime owns the database and its migrations, and
 * the overlay never writes to it.
 */
import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const project = sqliteTable("project", {
  id: text("id").primaryKey(),
  worktree: text("worktree").notNull(),
  vcs: text("vcs"),
  name: text("name"),
  timeCreated: integer("time_created").notNull(),
  timeUpdated: integer("time_updated").notNull(),
})

export const session = sqliteTable("session", {
  id: text("id").primaryKey(),
  projectID: text("project_id").notNull(),
  workspaceID: text("workspace_id"),
  parentID: text("parent_id"),
  slug: text("slug").notNull(),
  directory: text("directory").notNull(),
  path: text("path"),
  title: text("title").notNull(),
  version: text("version").notNull(),
  shareURL: text("share_url"),
  summaryAdditions: integer("summary_additions"),
  summaryDeletions: integer("summary_deletions"),
  summaryFiles: integer("summary_files"),
  /** JSON: `SnapshotFileDiff[]`. */
  summaryDiffs: text("summary_diffs"),
  /** JSON object. */
  metadata: text("metadata"),
  cost: real("cost").notNull(),
  tokensInput: integer("tokens_input").notNull(),
  tokensOutput: integer("tokens_output").notNull(),
  tokensReasoning: integer("tokens_reasoning").notNull(),
  tokensCacheRead: integer("tokens_cache_read").notNull(),
  tokensCacheWrite: integer("tokens_cache_write").notNull(),
  /** JSON: `{ messageID, partID?, snapshot?, diff? }`. */
  revert: text("revert"),
  /** JSON: the session's permission rules. */
  permission: text("permission"),
  agent: text("agent"),
  /** JSON: `{ id, providerID, variant? }`. */
  model: text("model"),
  timeCreated: integer("time_created").notNull(),
  timeUpdated: integer("time_updated").notNull(),
  timeCompacting: integer("time_compacting"),
  timeArchived: integer("time_archived"),
})

export const message = sqliteTable("message", {
  id: text("id").primaryKey(),
  sessionID: text("session_id").notNull(),
  timeCreated: integer("time_created").notNull(),
  timeUpdated: integer("time_updated").notNull(),
  data: text("data").notNull(),
})

export const part = sqliteTable("part", {
  id: text("id").primaryKey(),
  messageID: text("message_id").notNull(),
  sessionID: text("session_id").notNull(),
  timeCreated: integer("time_created").notNull(),
  timeUpdated: integer("time_updated").notNull(),
  data: text("data").notNull(),
})

export const sessionShare = sqliteTable("session_share", {
  sessionID: text("session_id").primaryKey(),
  id: text("id").notNull(),
  secret: text("secret").notNull(),
  url: text("url").notNull(),
  timeCreated: integer("time_created").notNull(),
  timeUpdated: integer("time_updated").notNull(),
})

export const todo = sqliteTable(
  "todo",
  {
    sessionID: text("session_id").notNull(),
    content: text("content").notNull(),
    status: text("status").notNull(),
    priority: text("priority").notNull(),
    position: integer("position").notNull(),
    timeCreated: integer("time_created").notNull(),
    timeUpdated: integer("time_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionID, t.position] })],
)

export type SessionRow = typeof session.$inferSelect
export type MessageRow = typeof message.$inferSelect
export type PartRow = typeof part.$inferSelect
export type ProjectRow = typeof project.$inferSelect
export type SessionShareRow = typeof sessionShare.$inferSelect
export type TodoRow = typeof todo.$inferSelect

/** Console accounts (`opencode console login`): only the URL, never the tokens, is read. */
export const account = sqliteTable("account", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
})

/** The active console account and organisation, whose config the runtime fetches at start. */
export const accountState = sqliteTable("account_state", {
  id: integer("id").primaryKey(),
  activeAccountID: text("active_account_id"),
  activeOrgID: text("active_org_id"),
})
