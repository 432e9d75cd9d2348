/**
 * Refusals of the session commands while sharing is disabled (pure). The
 * words are the share guard's own (`share/refusal.ts`), with the local
 * alternative named the way a command surface offers it: `/export`.
 */
import { describePolicy, type SharePolicy } from "../config/policy.ts"
import { refusal, type Refusal } from "../share/refusal.ts"

export const EXPORT_SLASH = "/export"

const POINTER = `To hand this session to someone, export it locally with ${EXPORT_SLASH} (Export session log); nothing leaves the machine.`

/** `/share` (or another publishing command) refused: why, where that was decided, and `/export` instead. */
export function shareRefusal(policy: SharePolicy, what = "/share"): Refusal {
  return withPointer(refusal(policy, what))
}

/** `/unshare` on a session that was never published: nothing to revoke, and nothing will be published. */
export function unshareRefusal(policy: SharePolicy, what = "/unshare"): Refusal {
  const base = refusal(policy, what)
  return withPointer({
    ...base,
    lines: [`Sharing is ${describePolicy(policy)}: ${what} has nothing to revoke, this session was never published.`, ...base.lines.slice(1)],
  })
}

function withPointer(r: Refusal): Refusal {
  const lines = [r.lines[0] ?? "", POINTER, ...r.lines.slice(2)]
  return { ...r, lines, message: lines.join(" "), export: EXPORT_SLASH }
}
