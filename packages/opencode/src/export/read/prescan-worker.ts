/**
 * The prescan worker (a thread; see prescan.ts): reads a session's parts
 * from its own read-only connection, in the order the export reads them, and
 * screens each part's JSON text. It posts, per message, how many parts it saw,
 * their total length, and the ids of those that need sanitizing.
 */
import { Database } from "bun:sqlite"
import { idsTail } from "../../storage/decode.ts"
import { beginRead, conversationStatements, endRead } from "../../storage/session-reads.ts"
import type { PrescanRequest, PrescanVerdict } from "./prescan.ts"
import { screen } from "../screen/screen.ts"

declare const self: Worker

/** Verdicts per report: small, so that the export, which never waits for them, finds them in time. */
const BATCH = 50

self.onmessage = (event: MessageEvent<PrescanRequest>) => {
  const { path, sessionID, checks } = event.data
  let db: Database | undefined
  try {
    db = new Database(path, { readonly: true })
    beginRead(db)
    // In the export's order: the same statements as its source (storage/session-reads.ts).
    const conversation = conversationStatements(db)
    let batch: PrescanVerdict[] = []
    for (const m of conversation.messages(sessionID)) {
      let chars = 0
      const dirty: string[] = []
      const rows = conversation.parts(m.id)
      for (const row of rows) {
        chars += row.data.length
        const tail = idsTail([["id", row.id], ["sessionID", sessionID], ["messageID", m.id]])
        if (screen(row.data, checks) || screen(tail, checks)) dirty.push(row.id)
      }
      batch.push({ message: m.id, parts: rows.length, chars, dirty })
      if (batch.length >= BATCH) {
        self.postMessage({ verdicts: batch })
        batch = []
      }
    }
    self.postMessage({ verdicts: batch, done: true })
  } catch (cause) {
    self.postMessage({ verdicts: [], done: true, error: String(cause) })
  } finally {
    try {
      if (db) endRead(db)
      db?.close()
    } catch {}
    // Ends this thread: the export does not wait for it.
    process.exit(0)
  }
}
