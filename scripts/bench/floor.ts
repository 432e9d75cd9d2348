/**
 * The raw-read floor of an export: reads every row an export of the session
 * reads (the session, its subagent sessions recursively, their messages and
 * parts) from the database, read-only, and `JSON.parse`s each row's data.
 * Nothing is rendered or written. The benchmark times it as a whole process,
 * like the exports, and gives each export's time as a multiple of it.
 *
 * Usage: bun scripts/bench/floor.ts <database> <session id>
 */
import { Database } from "bun:sqlite"

const [path, rootID] = process.argv.slice(2)
if (!path || !rootID) {
  process.stderr.write("usage: bun scripts/bench/floor.ts <database> <session id>\n")
  process.exit(2)
}
const db = new Database(path, { readonly: true })
const children = db.prepare<{ id: string }, [string]>("select id from session where parent_id = ?")
const messages = db.prepare<{ id: string; data: string }, [string]>("select id, data from message where session_id = ? order by time_created, id")
const parts = db.prepare<{ id: string; data: string }, [string]>("select id, data from part where message_id = ? order by id")
let rows = 0
const read = (sessionID: string) => {
  for (const m of messages.all(sessionID)) {
    JSON.parse(m.data)
    rows++
    for (const p of parts.all(m.id)) {
      JSON.parse(p.data)
      rows++
    }
  }
  for (const child of children.all(sessionID)) read(child.id)
}
db.exec("BEGIN")
read(rootID)
db.exec("COMMIT")
process.stdout.write(`${rows} rows\n`)
