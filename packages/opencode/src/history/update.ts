/**
 * Bringing the index up to the runtime's database: sessions the runtime
 * changed since they were indexed (its `time_updated` differs) get their new
 * and changed parts indexed and their removed parts dropped (a part is
 * compared by its own `time_updated`), new ones are added, deleted ones leave.
 *
 * Each session is read in one read transaction of the runtime's database (a
 * snapshot, while runtimes go on writing) and written in one transaction of
 * the index: a crash or a kill leaves every session either as it was or as it
 * is now, never half. In between, its parts stream through in batches (read,
 * redacted with the export's rules, inserted), so memory does not grow with
 * the size of a session.
 */
import type { Database } from "bun:sqlite"
import { decodeMessage, decodePart } from "../storage/decode.ts"
import { beginRead, conversationStatements, endRead, partCount, sessionRow, sessionSummaries, type PartHead } from "../storage/session-reads.ts"
import { createSanitizer, type Sanitizer } from "../export/screen/sanitize.ts"
import { entryOf, type Entry } from "./entries.ts"

export type UpdateReport = {
  readonly added: number
  readonly updated: number
  readonly removed: number
  /** Sessions the index already had as they are. */
  readonly unchanged: number
  /**
   * Sessions left as they were because another search held the index for
   * longer than the wait (it is indexing a long history): this search answers
   * from what the index has.
   */
  readonly behind: number
}

export type Progress = (done: number, total: number) => void

/** Another process is writing the index and did not finish within the busy timeout. */
class IndexBusy extends Error {}
const isBusy = (cause: unknown) => cause instanceof Error && "code" in cause && String(cause.code).startsWith("SQLITE_BUSY")

type Row = Entry & { readonly messageID: string; readonly partID: string; readonly time: number }

/** Rows redacted and inserted at a time: enough to keep the redaction busy, few enough that memory stays flat. */
const BATCH_ROWS = 256
const BATCH_CHARS = 4 * 1024 * 1024

function statementsOf(index: Database) {
  return {
    deleteRows: index.prepare("delete from entry_row where session_id = ?"),
    deleteSeen: index.prepare("delete from part_seen where session_id = ?"),
    deleteSession: index.prepare("delete from session where id = ?"),
    deletePartRows: index.prepare("delete from entry_row where part_id = ?"),
    deletePartSeen: index.prepare("delete from part_seen where part_id = ?"),
    deleteTitle: index.prepare("delete from entry_row where session_id = ? and part_id is null"),
    seenOf: index.prepare<{ part_id: string; time: number }, [string]>("select part_id, time from part_seen where session_id = ?"),
    seenTime: index.prepare<{ time: number }, [string]>("select time from part_seen where part_id = ?"),
    seenCount: index.prepare<{ n: number }, [string]>("select count(*) as n from part_seen where session_id = ?"),
    insertRow: index.prepare("insert into entry_row (session_id, message_id, part_id, role, tool, kind, time) values (?, ?, ?, ?, ?, ?, ?)"),
    insertWords: index.prepare("insert into entry (rowid, text) values (?, ?)"),
    insertSeen: index.prepare("insert or replace into part_seen (part_id, session_id, time) values (?, ?, ?)"),
    upsertSession: index.prepare(
      "insert or replace into session (id, parent_id, title, directory, time_created, time_updated, newest_message) values (?, ?, ?, ?, ?, ?, ?)",
    ),
  }
}
type Statements = ReturnType<typeof statementsOf>
type Reads = ReturnType<typeof conversationStatements>

/** One indexed text: where it is and who said it, and its words under the same rowid. */
function insert(write: Statements, sessionID: string, row: Omit<Row, "text" | "messageID" | "partID"> & { readonly messageID: string | null; readonly partID: string | null }, text: string) {
  const { lastInsertRowid } = write.insertRow.run(sessionID, row.messageID, row.partID, row.role, row.tool ?? null, row.kind, row.time)
  write.insertWords.run(lastInsertRowid, text)
}

/**
 * One write transaction of the index around `work`, which may await (the
 * redaction does). `begin immediate`: two searches updating at once take
 * turns instead of one failing at commit.
 */
/** A short write transaction of the index, busy as `writing`'s. */
function writingNow(index: Database, work: () => void): void {
  try {
    index.transaction(work).immediate()
  } catch (cause) {
    throw isBusy(cause) ? new IndexBusy() : cause
  }
}

async function writing<T>(index: Database, work: () => Promise<T>): Promise<T> {
  try {
    index.exec("BEGIN IMMEDIATE")
  } catch (cause) {
    throw isBusy(cause) ? new IndexBusy() : cause
  }
  try {
    const result = await work()
    index.exec("COMMIT")
    return result
  } catch (cause) {
    index.exec("ROLLBACK")
    throw cause
  }
}

/** What the index had of a session: its `time_updated` and its newest message's creation time when it was indexed. */
type Prior = { readonly timeUpdated: number; readonly newestMessage: number }

/** The parts of a known session to read again (new or changed) and the parts gone from it. */
type Plan = { readonly changed: ReadonlyArray<PartHead>; readonly gone: ReadonlyArray<string> }

/** Whether a part must be read again: new, changed, or updated at or after the last index (two writes in one millisecond keep a part's time). */
const stale = (head: PartHead, seen: number | undefined, prior: Prior) => seen !== head.timeUpdated || head.timeUpdated >= prior.timeUpdated

/**
 * The quick plan, for the common case of a session that went on (a new turn,
 * the last message finished): only the parts of messages created since the
 * newest one indexed are compared, through the runtime's index on messages.
 * It holds when the counts agree: the parts indexed, plus the new ones, are
 * all the session has. Otherwise (a part removed, or added to an older
 * message) `undefined`, and every part is compared.
 */
function quickPlan(runtime: Database, read: Reads, write: Statements, id: string, prior: Prior): Plan | undefined {
  const changed: PartHead[] = []
  let added = 0
  for (const head of read.recentHeads(id, prior.newestMessage)) {
    const seen = write.seenTime.get(head.id)?.time
    if (seen === undefined) added++
    if (stale(head, seen, prior)) changed.push(head)
  }
  const indexed = write.seenCount.get(id)?.n ?? 0
  return indexed + added === partCount(runtime, id) ? { changed, gone: [] } : undefined
}

/** Every part of the session against the time it was indexed with. */
function fullPlan(read: Reads, write: Statements, id: string, prior: Prior): Plan {
  const known = new Map(write.seenOf.all(id).map((r) => [r.part_id, r.time]))
  const changed: PartHead[] = []
  const present = new Set<string>()
  for (const head of read.heads(id)) {
    present.add(head.id)
    if (stale(head, known.get(head.id), prior)) changed.push(head)
  }
  return { changed, gone: [...known.keys()].filter((partID) => !present.has(partID)) }
}

/**
 * Brings one session up to date: `prior` is what the index had of it (none
 * for a session not indexed yet). Answers whether the session still exists.
 */
async function indexSession(
  index: Database,
  runtime: Database,
  write: Statements,
  sanitizer: Sanitizer,
  id: string,
  prior: Prior | undefined,
): Promise<boolean> {
  beginRead(runtime)
  const read = conversationStatements(runtime)
  try {
    const row = sessionRow(runtime, id)
    if (!row) return false
    const newestMessage = read.newestMessage(id)
    // The parts to read: all of a new session's, or those of a known one that are new or changed since.
    const plan = prior ? (quickPlan(runtime, read, write, id, prior) ?? fullPlan(read, write, id, prior)) : undefined
    const wanted = new Map<string, Set<string>>()
    for (const head of plan?.changed ?? []) {
      let parts = wanted.get(head.messageID)
      if (!parts) wanted.set(head.messageID, (parts = new Set()))
      parts.add(head.id)
    }

    await writing(index, async () => {
      if (plan) {
        write.deleteTitle.run(id)
        for (const partID of plan.gone) {
          write.deletePartRows.run(partID)
          write.deletePartSeen.run(partID)
        }
        for (const head of plan.changed) write.deletePartRows.run(head.id)
      } else {
        write.deleteRows.run(id)
        write.deleteSeen.run(id)
      }
      let batch: Row[] = []
      let chars = 0
      const flush = async () => {
        const texts = await Promise.all(batch.map((r) => sanitizer.text(r.text)))
        batch.forEach((r, i) => insert(write, id, r, texts[i]!))
        batch = []
        chars = 0
      }
      const take = async (m: { readonly id: string; readonly data: string }, parts: ReadonlySet<string> | undefined) => {
        const message = decodeMessage(m.id, id, m.data)
        if (!message.ok) return
        for (const p of read.parts(m.id)) {
          if (parts && !parts.has(p.id)) continue
          const part = decodePart(p.id, m.id, id, p.data)
          if (!part.ok || !part.known) continue
          const entry = entryOf(message.value, part.value)
          if (!entry) continue
          batch.push({ ...entry, messageID: m.id, partID: p.id, time: message.value.time.created })
          chars += entry.text.length
          if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush()
        }
      }
      if (!plan) for (const m of read.messages(id)) await take(m, undefined)
      else
        for (const [messageID, parts] of wanted) {
          const m = read.message(messageID, id)
          if (m) await take(m, parts)
        }
      await flush()
      // A new session's parts are all seen; read again here, in the same snapshot, rather than kept from the start.
      for (const head of plan ? plan.changed : read.heads(id)) write.insertSeen.run(head.id, id, head.timeUpdated)
      const title = await sanitizer.text(row.title)
      insert(write, id, { role: "user", kind: "title", messageID: null, partID: null, time: row.timeCreated }, title)
      write.upsertSession.run(id, row.parentID, title, row.directory, row.timeCreated, row.timeUpdated, newestMessage)
    })
    return true
  } finally {
    read.finalize()
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
    index
      .query<{ id: string; time_updated: number; newest_message: number }, []>("select id, time_updated, newest_message from session")
      .all()
      .map((r): [string, Prior] => [r.id, { timeUpdated: r.time_updated, newestMessage: r.newest_message }]),
  )
  const live = new Set(current.map((s) => s.id))
  const gone = [...indexed.keys()].filter((id) => !live.has(id))
  const changedSessions = current.filter((s) => indexed.get(s.id)?.timeUpdated !== s.timeUpdated)

  const write = statementsOf(index)
  const remove = (id: string) => {
    write.deleteRows.run(id)
    write.deleteSeen.run(id)
    write.deleteSession.run(id)
  }
  let added = 0
  let updated = 0
  let removed = 0
  let done = 0
  const report = (behind: number): UpdateReport => ({ added, updated, removed, unchanged: current.length - changedSessions.length, behind })
  try {
    if (gone.length > 0) {
      writingNow(index, () => gone.forEach(remove))
      removed = gone.length
    }
    for (const summary of changedSessions) {
      const exists = await indexSession(index, runtime, write, sanitizer, summary.id, indexed.get(summary.id))
      if (!exists) {
        // Deleted between the list and the read.
        if (indexed.has(summary.id)) writingNow(index, () => remove(summary.id))
      } else if (indexed.has(summary.id)) updated++
      else added++
      options.onProgress?.(++done, changedSessions.length)
    }
    return report(0)
  } catch (cause) {
    if (cause instanceof IndexBusy) return report(changedSessions.length - done)
    throw cause
  } finally {
    for (const statement of Object.values(write)) statement.finalize()
  }
}
