/**
 * The index writer thread (see index-writer.ts): its own connection to the
 * index, commands answered in the order they came. After a failed write the
 * transaction's later writes are not run, and its commit answers with the
 * failure and rolls back, so a session is never written half.
 */
import { Database } from "bun:sqlite"
import { isBusy, type WriterReply, type WriterRequest } from "./index-writer.ts"
import { applyWrite, waitForWriters, writeStatements, type WriteStatements } from "./index-writes.ts"

declare const self: Worker

let db: Database | undefined
let statements: WriteStatements | undefined
/** Why the current transaction cannot commit. */
let failed: string | undefined

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

function answer(request: WriterRequest): WriterReply {
  const { seq } = request
  if (request.kind === "open") {
    db = new Database(request.path)
    waitForWriters(db, request.busyWait)
    statements = writeStatements(db)
    return { seq }
  }
  if (request.kind === "close") {
    statements?.finalize()
    db?.close()
    db = undefined
    return { seq }
  }
  if (!db || !statements) return { seq, error: "the index writer has no index open" }
  switch (request.kind) {
    case "begin":
      failed = undefined
      db.exec("BEGIN IMMEDIATE")
      return { seq }
    case "write":
      if (failed !== undefined) return { seq, error: failed }
      try {
        for (const w of request.writes) applyWrite(statements, w)
      } catch (cause) {
        failed = message(cause)
        throw cause
      }
      return { seq }
    case "commit":
      if (failed !== undefined) {
        if (db.inTransaction) db.exec("ROLLBACK")
        return { seq, error: failed }
      }
      db.exec("COMMIT")
      return { seq }
    case "rollback":
      failed = undefined
      if (db.inTransaction) db.exec("ROLLBACK")
      return { seq }
  }
}

self.onmessage = (event: MessageEvent<WriterRequest>) => {
  const request = event.data
  let reply: WriterReply
  try {
    reply = answer(request)
  } catch (cause) {
    reply = { seq: request.seq, error: message(cause), ...(isBusy(cause) ? { busy: true } : {}) }
  }
  self.postMessage(reply)
  // Ends this thread once its connection is closed: the update does not wait for it.
  if (request.kind === "close") process.exit(0)
}
