/**
 * The overlay's search index: its own SQLite file in the overlay's data
 * folder (`$XDG_DATA_HOME/opencode-local-overlay/history.db`); the runtime's
 * database is only ever read. Plain `bun:sqlite` statements, not drizzle: the
 * index is an FTS5 table, and MATCH, bm25() and snippet() are outside the ORM's
 * query builder.
 *
 * Layout: `entry` is the FTS5 index of every indexed text (redacted),
 * contentless: it keeps the words' positions, not the texts, so the index
 * stays smaller than the runtime's database it covers; a hit's snippet is made
 * from its part read again from the runtime's database and redacted again
 * (`snippets.ts`). `entry_row` says, per indexed text, who said it and where
 * (same rowid as in `entry`; deleting a row deletes its words); `session` is what was indexed of
 * each session, with the runtime's `time_updated` at that moment, which the
 * next update compares, and when its newest message was created (the next
 * update looks at the parts of messages from then on first); `part_seen` is each part's `time_updated` as indexed
 * (parts with no text too), so a session that changed is brought up to date
 * by reading only its new and changed parts. An index written by another format or rule set, or a
 * file that is not a database, is rebuilt from scratch.
 */
import { Database } from "bun:sqlite"
import { existsSync, mkdirSync, rmSync } from "node:fs"
import { dirname } from "node:path"
import { RULE_SET } from "../export/screen/redact.ts"
import { waitForWriters } from "./index-writes.ts"

/** How texts are cut into words: the index and the snippets' scratch table must cut them alike. */
export const TOKENIZE = "unicode61 remove_diacritics 2"

/**
 * How FTS5 merges the segments each flush of its word buffer writes: once 16 of a level are there (its default
 * 4), and at once past 64 (16). A first index spends less on merging (1.8 → 1.3 s for the words of the benchmark's
 * L database, 90,000 texts, on their own), and a search for a common word took as long on the index it made (13 ms).
 * Kept in the index file, so written when the file is made.
 */
const MERGING = [
  ["automerge", 16],
  ["crisismerge", 64],
] as const

/** Bumped when the layout or what an entry holds changes: an older index is rebuilt. */
const FORMAT = "4"

const SCHEMA = `
create table if not exists meta (key text primary key, value text not null);
create table if not exists session (
  id text primary key,
  parent_id text,
  title text not null,
  directory text not null,
  time_created integer not null,
  time_updated integer not null,
  newest_message integer not null
);
create index if not exists session_parent on session (parent_id);
create table if not exists entry_row (
  rowid integer primary key,
  session_id text not null,
  message_id text,
  part_id text,
  role text not null,
  tool text,
  kind text not null,
  time integer not null
);
create index if not exists entry_row_session on entry_row (session_id);
create index if not exists entry_row_part on entry_row (part_id);
create table if not exists part_seen (
  part_id text primary key,
  session_id text not null,
  time integer not null
) without rowid;
create index if not exists part_seen_session on part_seen (session_id);
create virtual table if not exists entry using fts5(
  text,
  content = '',
  contentless_delete = 1,
  tokenize = '${TOKENIZE}'
);
create trigger if not exists entry_row_delete after delete on entry_row begin
  delete from entry where rowid = old.rowid;
end;
`

export type OpenedIndex = {
  readonly db: Database
  /** Why the index starts empty, when an old one was not kept (another format, another rule set, unreadable). */
  readonly rebuilt?: string
}

const removeFiles = (path: string) => {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true })
}

function create(path: string): Database {
  const db = new Database(path, { create: true })
  waitForWriters(db)
  db.exec("pragma journal_mode = wal")
  db.exec(SCHEMA)
  return db
}

/** What the file says it was written with; `undefined` for a new, empty file. */
function stamp(db: Database): { format?: string; rules?: string } {
  const rows = db.query<{ key: string; value: string }, []>("select key, value from meta").all()
  const get = (key: string) => rows.find((r) => r.key === key)?.value
  return { format: get("format"), rules: get("rules") }
}

function writeStamp(db: Database): void {
  // Already stamped: no write, so opening does not wait for another search's long update.
  const found = stamp(db)
  if (found.format === FORMAT && found.rules === RULE_SET) return
  const put = db.prepare("insert or replace into meta (key, value) values (?, ?)")
  const tune = db.prepare("insert into entry (entry, rank) values (?, ?)")
  db.transaction(() => {
    put.run("format", FORMAT)
    put.run("rules", RULE_SET)
    for (const [option, value] of MERGING) tune.run(option, value)
  })()
}

/** `rebuild`: start from an empty index whatever the file holds (`opencode search --reindex`). */
export function openIndex(path: string, options: { readonly rebuild?: boolean } = {}): OpenedIndex {
  mkdirSync(dirname(path), { recursive: true })
  let rebuilt: string | undefined
  if (options.rebuild && existsSync(path)) {
    removeFiles(path)
    rebuilt = "asked for (--reindex)"
  }
  let db: Database
  try {
    db = create(path)
    const found = stamp(db)
    const empty = found.format === undefined && db.query<{ n: number }, []>("select count(*) as n from session").get()!.n === 0
    if (!empty && (found.format !== FORMAT || found.rules !== RULE_SET)) {
      rebuilt = found.format !== FORMAT ? "written by another version of the overlay" : `redacted with another rule set (${found.rules ?? "unknown"})`
      db.close()
      removeFiles(path)
      db = create(path)
    }
  } catch (cause) {
    // Not a database, or one SQLite cannot read: it is only an index, so it is made again.
    rebuilt = `unreadable (${cause instanceof Error ? cause.message : String(cause)})`
    removeFiles(path)
    db = create(path)
  }
  writeStamp(db)
  return rebuilt === undefined ? { db } : { db, rebuilt }
}
