/**
 * What an update writes to the index, as data: a list of writes that runs the
 * same on the update's own connection or on a writer thread's
 * (`index-writer.ts`), inside one transaction either way.
 */
import type { Database } from "bun:sqlite"

/** Who said an indexed text and where; `partID` and `messageID` are null for a session's title. */
export type IndexedRow = {
  readonly sessionID: string
  readonly messageID: string | null
  readonly partID: string | null
  readonly role: string
  readonly tool: string | null
  readonly kind: string
  readonly time: number
}

export type SessionRecord = {
  readonly id: string
  readonly parentID: string | null
  readonly title: string
  readonly directory: string
  readonly timeCreated: number
  readonly timeUpdated: number
  readonly newestMessage: number
}

export type Write =
  /** A session gone from the runtime: its texts, parts seen and record. */
  | { readonly op: "forgetSession"; readonly sessionID: string }
  /** A session indexed again from scratch: its texts and parts seen. */
  | { readonly op: "clearSession"; readonly sessionID: string }
  /** The session's title text (written again with every update of it). */
  | { readonly op: "clearTitle"; readonly sessionID: string }
  /** A part gone from the session: its texts and its time seen. */
  | { readonly op: "forgetPart"; readonly partID: string }
  /** A part read again: its texts (its time seen is written over). */
  | { readonly op: "clearPart"; readonly partID: string }
  /** One text, redacted, and who said it, under one rowid. */
  | { readonly op: "insert"; readonly row: IndexedRow; readonly text: string }
  | { readonly op: "seen"; readonly partID: string; readonly sessionID: string; readonly time: number }
  | { readonly op: "session"; readonly session: SessionRecord }

/** How long a connection to the index waits for another search's write before it gives up (ms). */
export const BUSY_WAIT = 10_000

/** Every connection to the index, the update's and a writer thread's: another search's write is waited for, not failed on. */
export const waitForWriters = (db: Database, ms: number = BUSY_WAIT) => db.exec(`pragma busy_timeout = ${Math.max(0, Math.floor(ms))}`)

/** The prepared statements the writes run through, on one connection. */
export function writeStatements(index: Database) {
  const prepared = {
    deleteRows: index.prepare("delete from entry_row where session_id = ?"),
    deleteSeen: index.prepare("delete from part_seen where session_id = ?"),
    deleteSession: index.prepare("delete from session where id = ?"),
    deletePartRows: index.prepare("delete from entry_row where part_id = ?"),
    deletePartSeen: index.prepare("delete from part_seen where part_id = ?"),
    deleteTitle: index.prepare("delete from entry_row where session_id = ? and part_id is null"),
    insertRow: index.prepare("insert into entry_row (session_id, message_id, part_id, role, tool, kind, time) values (?, ?, ?, ?, ?, ?, ?)"),
    // Its rowid is the row's: deleting the row (a trigger) deletes its words.
    insertWords: index.prepare("insert into entry (rowid, text) values (?, ?)"),
    insertSeen: index.prepare("insert or replace into part_seen (part_id, session_id, time) values (?, ?, ?)"),
    upsertSession: index.prepare(
      "insert or replace into session (id, parent_id, title, directory, time_created, time_updated, newest_message) values (?, ?, ?, ?, ?, ?, ?)",
    ),
  }
  return { ...prepared, finalize: () => Object.values(prepared).forEach((s) => s.finalize()) }
}
export type WriteStatements = ReturnType<typeof writeStatements>

export function applyWrite(s: WriteStatements, w: Write): void {
  switch (w.op) {
    case "forgetSession":
    case "clearSession":
      s.deleteRows.run(w.sessionID)
      s.deleteSeen.run(w.sessionID)
      if (w.op === "forgetSession") s.deleteSession.run(w.sessionID)
      return
    case "clearTitle":
      s.deleteTitle.run(w.sessionID)
      return
    case "forgetPart":
      s.deletePartRows.run(w.partID)
      s.deletePartSeen.run(w.partID)
      return
    case "clearPart":
      s.deletePartRows.run(w.partID)
      return
    case "insert": {
      const r = w.row
      const { lastInsertRowid } = s.insertRow.run(r.sessionID, r.messageID, r.partID, r.role, r.tool, r.kind, r.time)
      s.insertWords.run(lastInsertRowid, w.text)
      return
    }
    case "seen":
      s.insertSeen.run(w.partID, w.sessionID, w.time)
      return
    case "session": {
      const x = w.session
      s.upsertSession.run(x.id, x.parentID, x.title, x.directory, x.timeCreated, x.timeUpdated, x.newestMessage)
      return
    }
  }
}
