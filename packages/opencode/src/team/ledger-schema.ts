/**
 * The overlay's own record of team sharing (SQLite, through drizzle), one file
 * in its data folder: every share it published (so a share can be revoked
 * after its local session is gone), and the outbox of items not yet delivered
 * (redacted before they are written here). Holds share secrets: the file is
 * the user's alone, as the credentials are.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const publication = sqliteTable(
  "publication",
  {
    /** The team server's origin (`https://share.example.com`). */
    origin: text("origin").notNull(),
    shareID: text("share_id").notNull(),
    sessionID: text("session_id").notNull(),
    url: text("url").notNull(),
    secret: text("secret").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [primaryKey({ columns: [t.origin, t.shareID] }), index("publication_session").on(t.sessionID)],
)

export const outbox = sqliteTable(
  "outbox",
  {
    origin: text("origin").notNull(),
    shareID: text("share_id").notNull(),
    /** The item's key (`session`, `message/<id>`, `part/<messageID>/<id>`): a newer version replaces the one waiting. */
    key: text("key").notNull(),
    type: text("type").notNull(),
    /** The item's `data` as JSON, redacted. */
    data: text("data").notNull(),
    /** Order of queueing across processes: a delivered row is removed only if no newer version replaced it. */
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.origin, t.shareID, t.key] }), index("outbox_seq").on(t.seq)],
)

export const CREATE_TABLES = `
create table if not exists publication (
  origin text not null, share_id text not null, session_id text not null, url text not null, secret text not null,
  created_at integer not null, revoked_at integer, primary key (origin, share_id)
);
create index if not exists publication_session on publication (session_id);
create table if not exists outbox (
  origin text not null, share_id text not null, key text not null, type text not null, data text not null,
  seq integer not null, primary key (origin, share_id, key)
);
create index if not exists outbox_seq on outbox (seq);
`
