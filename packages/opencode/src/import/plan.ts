/**
 * What an import does (pure): each session of the file is new (imported),
 * already there whole (left alone: importing twice changes nothing), or in
 * the way (its id, or the id of one of its messages or parts, belongs to
 * another session here: the import is refused, as the runtime would skip
 * those rows without a word and leave the session without them).
 */
import type { ImportSession } from "./read.ts"
import type { StoredSession, StoredState } from "../storage/id-owners.ts"

export type ImportConflictItem =
  | { readonly kind: "session"; readonly session: ImportSession; readonly stored: StoredSession }
  | { readonly kind: "message" | "part"; readonly id: string; readonly session: ImportSession; readonly owner: string }

export type ImportPlan = {
  readonly toImport: ReadonlyArray<ImportSession>
  readonly present: ReadonlyArray<ImportSession>
  readonly conflicts: ReadonlyArray<ImportConflictItem>
}

/** The same session: the runtime keeps an imported session's slug and creation time. */
const same = (s: ImportSession, stored: StoredSession) => stored.slug === s.slug && stored.created === s.created

export function planImport(sessions: ReadonlyArray<ImportSession>, stored: StoredState): ImportPlan {
  const toImport: ImportSession[] = []
  const present: ImportSession[] = []
  const conflicts: ImportConflictItem[] = []
  for (const s of sessions) {
    const there = stored.sessions.get(s.id)
    if (there && !same(s, there)) {
      conflicts.push({ kind: "session", session: s, stored: there })
      continue
    }
    for (const [kind, ids] of [
      ["message", s.messageIDs],
      ["part", s.partIDs],
    ] as const) {
      for (const id of ids) {
        const owner = stored.owners.get(id)
        if (owner !== undefined && owner !== s.id) conflicts.push({ kind, id, session: s, owner })
      }
    }
    if (!there) toImport.push(s)
    else if ([...s.messageIDs, ...s.partIDs].every((id) => stored.owners.get(id) === s.id)) present.push(s)
    // Some of its messages or parts are missing (an import that stopped half-way): the runtime adds them.
    else toImport.push(s)
  }
  return { toImport, present, conflicts }
}
