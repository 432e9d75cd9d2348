/**
 * Bringing the index up to the runtime's database: sessions the runtime
 * changed since they were indexed (its `time_updated` differs) get their new
 * and changed parts indexed and their removed parts dropped (a part is
 * compared by its own `time_updated`), new ones are added, deleted ones leave. Each session is read in one
 * read transaction (a snapshot, while runtimes go on writing), redacted with
 * the export's rules, and written in one transaction of the index: a crash
 * leaves every session either as it was or as it is now, never half.
 */
import type { Database } from "bun:sqlite"
import { decodeMessage, decodePart } from "../storage/decode.ts"
import { beginRead, conversationStatements, endRead, sessionRow, sessionSummaries, type PartHead, type SummaryRow } from "../storage/session-reads.ts"
import { createSanitizer } from "../export/screen/sanitize.ts"
import { entryOf, type Entry } from "./entries.ts"

export type UpdateReport = {
  readonly added: number
  readonly updated: number
  readonly removed: number
  /** Sessions the index already had as they are. */
  readonly unchanged: number
}

export type Progress = (done: number, total: number) => void

type Row = Entry & { readonly messageID: string | null; readonly partID: string | null; readonly time: number }

/**
 * What changed in one session since it was indexed (`known`: each part's
 * time as indexed; none for a session not indexed yet): its row, the texts of
 * its new and changed parts, the heads of those parts, and the parts gone.
 * Read in one read transaction, so a session being written reads as one
 * snapshot; the data of parts that did not change is not read.
 */
function readChanges(
  runtime: Database,
  id: string,
  known: ReadonlyMap<string, number> | undefined,
  /** The session's `time_updated` when it was indexed: a part updated since is read again whatever its time says. */
  since: number,
): { session: SummaryRow; rows: Row[]; changed: PartHead[]; gone: string[] } | undefined {
  beginRead(runtime)
  const statements = conversationStatements(runtime)
  try {
    const row = sessionRow(runtime, id)
    if (!row) return undefined
    const session: SummaryRow = {
      id: row.id,
      slug: row.slug,
      title: row.title,
      directory: row.directory,
      parentID: row.parentID,
      timeCreated: row.timeCreated,
      timeUpdated: row.timeUpdated,
    }
    const changed: PartHead[] = []
    const wanted = new Map<string, Set<string>>()
    const present = new Set<string>()
    for (const head of statements.heads(id)) {
      present.add(head.id)
      // Two writes in one millisecond keep a part's time: one at or after the last index is read again.
      if (known?.get(head.id) === head.timeUpdated && head.timeUpdated < since) continue
      changed.push(head)
      let parts = wanted.get(head.messageID)
      if (!parts) wanted.set(head.messageID, (parts = new Set()))
      parts.add(head.id)
    }
    const gone = known ? [...known.keys()].filter((partID) => !present.has(partID)) : []
    const rows: Row[] = [{ role: "user", kind: "title", text: row.title, messageID: null, partID: null, time: row.timeCreated }]
    if (wanted.size > 0) {
      for (const m of statements.messages(id)) {
        const parts = wanted.get(m.id)
        if (!parts) continue
        const message = decodeMessage(m.id, id, m.data)
        if (!message.ok) continue
        for (const p of statements.parts(m.id)) {
          if (!parts.has(p.id)) continue
          const part = decodePart(p.id, m.id, id, p.data)
          if (!part.ok || !part.known) continue
          const entry = entryOf(message.value, part.value)
          if (entry) rows.push({ ...entry, messageID: m.id, partID: p.id, time: message.value.time.created })
        }
      }
    }
    return { session, rows, changed, gone }
  } finally {
    statements.finalize()
    endRead(runtime)
  }
}

export async function updateIndex(
  index: Database,
  runtime: Database,
  options: { readonly home?: string; readonly onProgress?: Progress } = {},
): Promise<UpdateReport> {
  const sanitizer = createSanitizer({ redact: true, home: options.home })
  const current = sessionSummaries(runtime, {})
  const indexed = new Map(
    index.query<{ id: string; time_updated: number }, []>("select id, time_updated from session").all().map((r) => [r.id, r.time_updated]),
  )
  const live = new Set(current.map((s) => s.id))
  const gone = [...indexed.keys()].filter((id) => !live.has(id))
  const stale = current.filter((s) => indexed.get(s.id) !== s.timeUpdated)

  const deleteRows = index.prepare("delete from entry_row where session_id = ?")
  const deleteSeen = index.prepare("delete from part_seen where session_id = ?")
  const deleteSession = index.prepare("delete from session where id = ?")
  const deletePartRows = index.prepare("delete from entry_row where part_id = ?")
  const deletePartSeen = index.prepare("delete from part_seen where part_id = ?")
  const deleteTitle = index.prepare("delete from entry_row where session_id = ? and part_id is null")
  const seenOf = index.prepare<{ part_id: string; time: number }, [string]>("select part_id, time from part_seen where session_id = ?")
  const insertRow = index.prepare(
    "insert into entry_row (session_id, message_id, part_id, role, tool, kind, time, text) values (?, ?, ?, ?, ?, ?, ?, ?)",
  )
  const insertSeen = index.prepare("insert or replace into part_seen (part_id, session_id, time) values (?, ?, ?)")
  const upsertSession = index.prepare(
    "insert or replace into session (id, parent_id, title, directory, time_created, time_updated) values (?, ?, ?, ?, ?, ?)",
  )
  const remove = (id: string) => {
    deleteRows.run(id)
    deleteSeen.run(id)
    deleteSession.run(id)
  }

  // `begin immediate`: two searches updating at once take turns instead of one failing at commit.
  if (gone.length > 0) index.transaction(() => gone.forEach(remove)).immediate()

  let added = 0
  let updated = 0
  let done = 0
  for (const summary of stale) {
    const known = indexed.has(summary.id) ? new Map(seenOf.all(summary.id).map((r) => [r.part_id, r.time])) : undefined
    const read = readChanges(runtime, summary.id, known, indexed.get(summary.id) ?? 0)
    if (!read) {
      if (indexed.has(summary.id)) index.transaction(() => remove(summary.id)).immediate()
    } else {
      const texts = await Promise.all(read.rows.map((r) => sanitizer.text(r.text)))
      const s = read.session
      index
        .transaction(() => {
          if (known) {
            deleteTitle.run(s.id)
            for (const partID of read.gone) {
              deletePartRows.run(partID)
              deletePartSeen.run(partID)
            }
            for (const head of read.changed) deletePartRows.run(head.id)
          } else {
            deleteRows.run(s.id)
            deleteSeen.run(s.id)
          }
          read.rows.forEach((r, i) => insertRow.run(s.id, r.messageID, r.partID, r.role, r.tool ?? null, r.kind, r.time, texts[i]!))
          for (const head of read.changed) insertSeen.run(head.id, s.id, head.timeUpdated)
          upsertSession.run(s.id, s.parentID, texts[0]!, s.directory, s.timeCreated, s.timeUpdated)
        })
        .immediate()
      if (indexed.has(s.id)) updated++
      else added++
    }
    options.onProgress?.(++done, stale.length)
  }
  for (const statement of [deleteRows, deleteSeen, deleteSession, deletePartRows, deletePartSeen, deleteTitle, seenOf, insertRow, insertSeen, upsertSession])
    statement.finalize()
  return { added, updated, removed: gone.length, unchanged: current.length - stale.length }
}
