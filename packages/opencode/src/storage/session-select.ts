/**
 * The `session` row as `SessionRow` (camelCase keys, as drizzle maps it),
 * selected with plain SQL for the export's read path, where per-row ORM
 * mapping and loading drizzle cost more than the query. A unit test keeps
 * these columns equal to the drizzle schema's (test/storage/session-select.test.ts).
 */
import type { SessionRow } from "./schema.ts"

const COLUMNS: Record<keyof SessionRow, string> = {
  id: "id",
  projectID: "project_id",
  workspaceID: "workspace_id",
  parentID: "parent_id",
  slug: "slug",
  directory: "directory",
  path: "path",
  title: "title",
  version: "version",
  shareURL: "share_url",
  summaryAdditions: "summary_additions",
  summaryDeletions: "summary_deletions",
  summaryFiles: "summary_files",
  summaryDiffs: "summary_diffs",
  metadata: "metadata",
  cost: "cost",
  tokensInput: "tokens_input",
  tokensOutput: "tokens_output",
  tokensReasoning: "tokens_reasoning",
  tokensCacheRead: "tokens_cache_read",
  tokensCacheWrite: "tokens_cache_write",
  revert: "revert",
  permission: "permission",
  agent: "agent",
  model: "model",
  timeCreated: "time_created",
  timeUpdated: "time_updated",
  timeCompacting: "time_compacting",
  timeArchived: "time_archived",
}

/** The SQL column of each `SessionRow` key. */
export const SESSION_COLUMNS: Readonly<Record<keyof SessionRow, string>> = COLUMNS

/** `select … from session` with every column named as `SessionRow` names it. */
export const SELECT_SESSION = `select ${Object.entries(COLUMNS)
  .map(([key, column]) => (key === column ? column : `${column} as "${key}"`))
  .join(", ")} from session`
