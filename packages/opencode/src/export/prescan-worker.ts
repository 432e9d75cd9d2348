/**
 * The prescan worker (a thread; see prescan.ts): reads a session's parts
 * from its own read-only connection, in the order the export reads them, and
 * screens each part's JSON text. It posts, per message, how many parts it saw,
 * their total length, and the ids of those that need sanitizing.
 */
import { Database } from "bun:sqlite"
import { idsTail } from "../storage/decode.ts"
import type { PrescanRequest, PrescanVerdict } from "./prescan.ts"
import { screen } from "./screen.ts"

declare const self: Worker

/** Verdicts per report: small, so that the export, which never waits for them, finds them in time. */
const BATCH = 50

self.onmessage = (event: MessageEvent<PrescanRequest>) => {
  const { path, sessionID, checks } = event.data
  let db: Database | undefined
  try {
    db = new Database(path, { readonly: true })
    db.exec("BEGIN")
    const rows = db
      .prepare<{ message: string; id: string | null; data: string | null }, [string]>(
        `select m.id as message, p.id, p.data from message m left join part p on p.message_id = m.id
         where m.session_id = ? order by m.time_created, m.id, p.id`,
      )
      .iterate(sessionID)
    let batch: PrescanVerdict[] = []
    let current: { message: string; parts: number; chars: number } | undefined
    const dirty: string[] = []
    const close = () => {
      if (!current) return
      batch.push({ message: current.message, parts: current.parts, chars: current.chars, dirty: [...dirty] })
      dirty.length = 0
      if (batch.length >= BATCH) {
        self.postMessage({ verdicts: batch })
        batch = []
      }
    }
    for (const row of rows) {
      if (current?.message !== row.message) {
        close()
        current = { message: row.message, parts: 0, chars: 0 }
      }
      if (row.id === null || row.data === null) continue
      current.parts++
      current.chars += row.data.length
      const tail = idsTail([["id", row.id], ["sessionID", sessionID], ["messageID", row.message]])
      if (screen(row.data, checks) || screen(tail, checks)) dirty.push(row.id)
    }
    close()
    self.postMessage({ verdicts: batch, done: true })
  } catch (cause) {
    self.postMessage({ verdicts: [], done: true, error: String(cause) })
  } finally {
    try {
      db?.exec("COMMIT")
      db?.close()
    } catch {}
  }
}
