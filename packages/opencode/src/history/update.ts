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
 * the size of a session. A large update's writes go to a writer thread
 * (index-writer.ts), which fills FTS5 while this one reads and redacts.
 */
import type { Database } from "bun:sqlite"
import { decodeMessage, decodePart } from "../storage/decode.ts"
import { beginRead, conversationStatements, endRead, partCount, sessionRow, sessionSummaries, type PartHead } from "../storage/session-reads.ts"
import { createSanitizer, type Sanitizer } from "../export/screen/sanitize.ts"
import { entryOf, type Entry } from "./entries.ts"
import { IndexBusy, inlineWriter, threadWriter, type IndexWriter } from "./index-writer.ts"
import type { Write } from "./index-writes.ts"

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

type Row = Entry & { readonly messageID: string; readonly partID: string; readonly time: number }

/** Rows redacted and inserted at a time: enough to keep the redaction busy, few enough that memory stays flat. */
const BATCH_ROWS = 256
const BATCH_CHARS = 4 * 1024 * 1024

/** Updates with this many parts to read, in all, are written by a thread (index-writer.ts); smaller ones by the update itself. */
export const THREAD_MIN_PARTS = 5_000

/** What the update reads of the index: what it had of each part. */
function seenStatements(index: Database) {
  return {
    seenOf: index.prepare<{ part_id: string; time: number }, [string]>("select part_id, time from part_seen where session_id = ?"),
    seenTime: index.prepare<{ time: number }, [string]>("select time from part_seen where part_id = ?"),
    seenCount: index.prepare<{ n: number }, [string]>("select count(*) as n from part_seen where session_id = ?"),
  }
}
type Seen = ReturnType<typeof seenStatements>
type Reads = ReturnType<typeof conversationStatements>

/** One write transaction of the index around `work`, which may await (the redaction does): committed whole, or not at all. */
async function writing<T>(writer: IndexWriter, work: () => Promise<T>): Promise<T> {
  await writer.begin()
  try {
    const result = await work()
    await writer.commit()
    return result
  } catch (cause) {
    await writer.rollback()
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
function quickPlan(runtime: Database, read: Reads, seen: Seen, id: string, prior: Prior): Plan | undefined {
  const changed: PartHead[] = []
  let added = 0
  for (const head of read.recentHeads(id, prior.newestMessage)) {
    const at = seen.seenTime.get(head.id)?.time
    if (at === undefined) added++
    if (stale(head, at, prior)) changed.push(head)
  }
  const indexed = seen.seenCount.get(id)?.n ?? 0
  return indexed + added === partCount(runtime, id) ? { changed, gone: [] } : undefined
}

/** Every part of the session against the time it was indexed with. */
function fullPlan(read: Reads, seen: Seen, id: string, prior: Prior): Plan {
  const known = new Map(seen.seenOf.all(id).map((r) => [r.part_id, r.time]))
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
  writer: IndexWriter,
  runtime: Database,
  seen: Seen,
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
    const plan = prior ? (quickPlan(runtime, read, seen, id, prior) ?? fullPlan(read, seen, id, prior)) : undefined
    const wanted = new Map<string, Set<string>>()
    for (const head of plan?.changed ?? []) {
      let parts = wanted.get(head.messageID)
      if (!parts) wanted.set(head.messageID, (parts = new Set()))
      parts.add(head.id)
    }

    await writing(writer, async () => {
      await writer.write(
        plan
          ? [
              { op: "clearTitle", sessionID: id },
              ...plan.gone.map((partID): Write => ({ op: "forgetPart", partID })),
              ...plan.changed.map((head): Write => ({ op: "clearPart", partID: head.id })),
            ]
          : [{ op: "clearSession", sessionID: id }],
      )
      let batch: Row[] = []
      let chars = 0
      const flush = async () => {
        const rows = batch
        batch = []
        chars = 0
        const texts = await Promise.all(rows.map((r) => sanitizer.text(r.text)))
        await writer.write(
          rows.map((r, i): Write => ({
            op: "insert",
            row: { sessionID: id, messageID: r.messageID, partID: r.partID, role: r.role, tool: r.tool ?? null, kind: r.kind, time: r.time },
            text: texts[i]!,
          })),
        )
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
      const seenNow: Write[] = []
      for (const head of plan ? plan.changed : read.heads(id)) seenNow.push({ op: "seen", partID: head.id, sessionID: id, time: head.timeUpdated })
      const title = await sanitizer.text(row.title)
      await writer.write([
        ...seenNow,
        { op: "insert", row: { sessionID: id, messageID: null, partID: null, role: "user", tool: null, kind: "title", time: row.timeCreated }, text: title },
        {
          op: "session",
          session: { id, parentID: row.parentID, title, directory: row.directory, timeCreated: row.timeCreated, timeUpdated: row.timeUpdated, newestMessage },
        },
      ])
    })
    return true
  } finally {
    read.finalize()
    endRead(runtime)
  }
}

export type UpdateOptions = {
  readonly home?: string
  readonly onProgress?: Progress
  /** Write through a thread (and fail if it cannot start) or not; by default, through one when the update has `THREAD_MIN_PARTS` parts or more to read and it starts. */
  readonly thread?: boolean
}

/** Whether the sessions to index have `THREAD_MIN_PARTS` parts or more (counted until they do). */
function large(runtime: Database, sessionIDs: ReadonlyArray<string>): boolean {
  let parts = 0
  for (const id of sessionIDs) if ((parts += partCount(runtime, id)) >= THREAD_MIN_PARTS) return true
  return false
}

export async function updateIndex(index: Database, runtime: Database, options: UpdateOptions = {}): Promise<UpdateReport> {
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
  if (gone.length === 0 && changedSessions.length === 0) return { added: 0, updated: 0, removed: 0, unchanged: current.length, behind: 0 }

  const writer =
    options.thread === true
      ? await threadWriter(index)
      : options.thread === undefined && large(runtime, changedSessions.map((s) => s.id))
        ? // Only speed depends on the thread: where it cannot start (a bundle without its file), the update writes itself.
          await threadWriter(index).catch(() => inlineWriter(index))
        : inlineWriter(index)
  const seen = seenStatements(index)
  const remove = (ids: ReadonlyArray<string>) => writing(writer, () => writer.write(ids.map((sessionID): Write => ({ op: "forgetSession", sessionID }))))
  let added = 0
  let updated = 0
  let removed = 0
  let done = 0
  const report = (behind: number): UpdateReport => ({ added, updated, removed, unchanged: current.length - changedSessions.length, behind })
  try {
    if (gone.length > 0) {
      await remove(gone)
      removed = gone.length
    }
    for (const summary of changedSessions) {
      const exists = await indexSession(writer, runtime, seen, sanitizer, summary.id, indexed.get(summary.id))
      if (!exists) {
        // Deleted between the list and the read.
        if (indexed.has(summary.id)) await remove([summary.id])
      } else if (indexed.has(summary.id)) updated++
      else added++
      options.onProgress?.(++done, changedSessions.length)
    }
    return report(0)
  } catch (cause) {
    if (cause instanceof IndexBusy) return report(changedSessions.length - done)
    throw cause
  } finally {
    for (const statement of Object.values(seen)) statement.finalize()
    await writer.close()
  }
}
