/**
 * Bringing the index up to the runtime's database: sessions the runtime
 * changed since they were indexed (its `time_updated` differs) are indexed
 * again, new ones are added, deleted ones leave. Each session is read in one
 * read transaction (a snapshot, while runtimes go on writing), redacted with
 * the export's rules, and written in one transaction of the index: a crash
 * leaves every session either as it was or as it is now, never half.
 */
import type { Database } from "bun:sqlite"
import { decodeMessage, decodePart } from "../storage/decode.ts"
import { beginRead, conversationStatements, endRead, sessionRow, sessionSummaries, type SummaryRow } from "../storage/session-reads.ts"
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

/** One session's texts as the runtime has them now, with the session row read in the same snapshot. */
function readSession(runtime: Database, id: string): { session: SummaryRow; rows: Row[] } | undefined {
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
    const rows: Row[] = [{ role: "user", kind: "title", text: row.title, messageID: null, partID: null, time: row.timeCreated }]
    for (const m of statements.messages(id)) {
      const message = decodeMessage(m.id, id, m.data)
      if (!message.ok) continue
      for (const p of statements.parts(m.id)) {
        const part = decodePart(p.id, m.id, id, p.data)
        if (!part.ok || !part.known) continue
        const entry = entryOf(message.value, part.value)
        if (entry) rows.push({ ...entry, messageID: m.id, partID: p.id, time: message.value.time.created })
      }
    }
    return { session, rows }
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
  const deleteSession = index.prepare("delete from session where id = ?")
  const insertRow = index.prepare(
    "insert into entry_row (session_id, message_id, part_id, role, tool, kind, time, text) values (?, ?, ?, ?, ?, ?, ?, ?)",
  )
  const upsertSession = index.prepare(
    "insert or replace into session (id, parent_id, title, directory, time_created, time_updated) values (?, ?, ?, ?, ?, ?)",
  )
  const remove = (id: string) => {
    deleteRows.run(id)
    deleteSession.run(id)
  }

  // `begin immediate`: two searches updating at once take turns instead of one failing at commit.
  if (gone.length > 0) index.transaction(() => gone.forEach(remove)).immediate()

  let added = 0
  let updated = 0
  let done = 0
  for (const summary of stale) {
    const read = readSession(runtime, summary.id)
    if (!read) {
      if (indexed.has(summary.id)) index.transaction(() => remove(summary.id)).immediate()
    } else {
      const texts = await Promise.all(read.rows.map((r) => sanitizer.text(r.text)))
      const s = read.session
      index
        .transaction(() => {
          deleteRows.run(s.id)
          read.rows.forEach((r, i) => insertRow.run(s.id, r.messageID, r.partID, r.role, r.tool ?? null, r.kind, r.time, texts[i]!))
          upsertSession.run(s.id, s.parentID, texts[0]!, s.directory, s.timeCreated, s.timeUpdated)
        })
        .immediate()
      if (indexed.has(s.id)) updated++
      else added++
    }
    options.onProgress?.(++done, stale.length)
  }
  for (const statement of [deleteRows, deleteSession, insertRow, upsertSession]) statement.finalize()
  return { added, updated, removed: gone.length, unchanged: current.length - stale.length }
}
