/** Dates, counts and paths for people (pure). */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(then: number, now = Date.now()): string {
  const ago = now - then
  if (ago < MINUTE) return "just now"
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`
  if (ago < 2 * DAY) return "yesterday"
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`
  return new Date(then).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`

export function bytes(n: number): string {
  if (n < 1024) return plural(n, "byte")
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/** A directory shown relative to its project's worktree when inside it. */
export function shortDirectory(directory: string, worktree: string): string {
  if (directory === worktree) return "project root"
  if (worktree && worktree !== "/" && directory.startsWith(`${worktree}/`)) return directory.slice(worktree.length + 1)
  return directory
}

// The exports' own formatting (pure, shared through the workspace package), so the page says what the file says.
export { count, duration, isoLocal, money, shortLocal } from "@local/opencode/format"
