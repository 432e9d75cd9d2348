/**
 * A session as the runtime's full share sync sends it, read from the
 * runtime's database: the session, then each message and its parts, in
 * batches so that a long session never sits in memory whole. What the overlay
 * sends when a runtime ends, or when `opencode share <id>` publishes a session
 * no runtime is running: after it, the server holds the session as it is here.
 * A row the runtime could not decode either is skipped (the export warns of
 * the same rows).
 */
import type { Database } from "bun:sqlite"
import { decodeMessage, decodePart, sessionFromRow } from "../storage/decode.ts"
import { beginRead, conversationStatements, endRead, sessionRow } from "../storage/session-reads.ts"
import type { JsonItem } from "./redact-items.ts"

/** An item with its data's JSON (the decoded row's own text where it has one). */
export type SessionItem = JsonItem

const BATCH_ITEMS = 500

/** The session's items in batches; nothing when the session is not in the database. */
export function* sessionItems(sqlite: Database, sessionID: string): Generator<ReadonlyArray<SessionItem>> {
  beginRead(sqlite)
  const statements = conversationStatements(sqlite)
  try {
    const row = sessionRow(sqlite, sessionID)
    if (!row) return
    const { info } = sessionFromRow(row)
    let batch: SessionItem[] = [{ type: "session", key: "session", data: info, json: JSON.stringify(info) }]
    for (const message of statements.messages(sessionID)) {
      const decoded = decodeMessage(message.id, sessionID, message.data)
      if (!decoded.ok) continue
      batch.push({ type: "message", key: `message/${message.id}`, data: decoded.value, json: decoded.json })
      for (const part of statements.parts(message.id)) {
        const p = decodePart(part.id, message.id, sessionID, part.data)
        if (!p.ok) continue
        batch.push({ type: "part", key: `part/${message.id}/${part.id}`, data: p.value, json: p.json })
        if (batch.length >= BATCH_ITEMS) {
          yield batch
          batch = []
        }
      }
    }
    if (batch.length > 0) yield batch
  } finally {
    statements.finalize()
    endRead(sqlite)
  }
}
