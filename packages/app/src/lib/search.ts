/** Filtering and grouping of the session list (pure). */
import type { SessionListItem } from "./types.ts"

export type ProjectGroup = {
  readonly id: string
  readonly name: string
  readonly worktree: string
  readonly sessions: ReadonlyArray<SessionListItem>
}

/** Every word of the query appears in the title, the directory or the project name (case-insensitive). */
export function matches(session: SessionListItem, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = `${session.title}\n${session.directory}\n${session.project.name}`.toLowerCase()
  return words.every((w) => haystack.includes(w))
}

/**
 * Newest first, grouped by project; a project's place is that of its newest
 * session. Sessions outside any repository all belong to the runtime's
 * "global" project (worktree `/`): those are grouped by directory instead.
 */
export function groupByProject(sessions: ReadonlyArray<SessionListItem>): ProjectGroup[] {
  const sorted = [...sessions].sort((a, b) => b.updated - a.updated || (a.id < b.id ? -1 : 1))
  const groups = new Map<string, { id: string; name: string; worktree: string; sessions: SessionListItem[] }>()
  for (const s of sorted) {
    const global = s.project.worktree === "/" || s.project.worktree === ""
    const key = global ? `dir:${s.directory}` : `project:${s.project.id || s.project.worktree}`
    let group = groups.get(key)
    if (!group) {
      const worktree = global ? s.directory : s.project.worktree
      group = { id: key, name: s.project.name || baseName(worktree), worktree, sessions: [] }
      groups.set(key, group)
    }
    group.sessions.push(s)
  }
  return [...groups.values()]
}

const baseName = (path: string) => path.split("/").filter(Boolean).at(-1) ?? path
