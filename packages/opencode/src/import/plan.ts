/**
 * What an import does (pure): each session of the file is new (imported),
 * already there whole (left alone: importing twice changes nothing), or in
 * the way (its id belongs to another session here: the import is refused).
 */
import type { ImportSession } from "./read.ts"
import type { StoredSession } from "./state.ts"

export type ImportPlan = {
  readonly toImport: ReadonlyArray<ImportSession>
  readonly present: ReadonlyArray<ImportSession>
  readonly conflicts: ReadonlyArray<{ readonly session: ImportSession; readonly stored: StoredSession }>
}

/** The same session: the runtime keeps an imported session's slug and creation time. */
const same = (s: ImportSession, stored: StoredSession) => stored.slug === s.slug && stored.created === s.created

export function planImport(sessions: ReadonlyArray<ImportSession>, stored: ReadonlyMap<string, StoredSession>): ImportPlan {
  const toImport: ImportSession[] = []
  const present: ImportSession[] = []
  const conflicts: Array<ImportPlan["conflicts"][number]> = []
  for (const s of sessions) {
    const there = stored.get(s.id)
    if (!there) toImport.push(s)
    else if (!same(s, there)) conflicts.push({ session: s, stored: there })
    else if (s.messageIDs.every((id) => there.messageIDs.has(id))) present.push(s)
    // Some of its messages are missing (an import that stopped half-way): the runtime adds them.
    else toImport.push(s)
  }
  return { toImport, present, conflicts }
}
