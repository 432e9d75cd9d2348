/**
 * The share server's tables (SQLite, through drizzle). Everything the server
 * knows lives here: shares, their items (the latest version of each), member
 * tokens, rate-limit counters and the audit log, so that instances sharing
 * one database agree. Secrets and tokens are kept as SHA-256 hashes only.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const share = sqliteTable(
  "share",
  {
    /** The slug of the link: `<public-url>/share/<id>`. */
    id: text("id").primaryKey(),
    sessionID: text("session_id").notNull(),
    /** The member who published it (e-mail). */
    owner: text("owner").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** Taken down (by its owner's secret or an administrator): the link answers 404. */
    removedAt: integer("removed_at"),
    removedBy: text("removed_by"),
  },
  (t) => [index("share_owner").on(t.owner)],
)

export const item = sqliteTable(
  "item",
  {
    shareID: text("share_id").notNull(),
    /** What the item is: `session`, `message/<id>`, `part/<messageID>/<partID>`, `session_diff`, `model`. */
    key: text("key").notNull(),
    type: text("type").notNull(),
    /** The item's `data`, as JSON, redacted. */
    data: text("data").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shareID, t.key] })],
)

export const memberToken = sqliteTable("member_token", {
  /** A short id to name the token by (`token revoke <id>`); the token itself is shown once. */
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  hash: text("hash").notNull().unique(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  revokedAt: integer("revoked_at"),
})

export const rate = sqliteTable(
  "rate",
  {
    member: text("member").notNull(),
    /** The minute (ms since the epoch / 60,000) the requests were counted in. */
    window: integer("window").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.member, t.window] })],
)

export const audit = sqliteTable("audit", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  at: integer("at").notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  shareID: text("share_id"),
  detail: text("detail"),
})

/** Members signed in with a browser (OpenID Connect): the cookie's token, kept as SHA-256 only. */
export const webSession = sqliteTable("web_session", {
  hash: text("hash").primaryKey(),
  email: text("email").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
})

export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
})

/**
 * The same tables as SQL, for the start of a new database. drizzle-kit's
 * migrations are a build-time tool; the server creates its tables itself, in
 * one transaction under SQLite's write lock, and records the version.
 */
export const SCHEMA_VERSION = 1
export const CREATE_TABLES = `
create table if not exists share (
  id text primary key, session_id text not null, owner text not null, secret_hash text not null,
  created_at integer not null, expires_at integer not null, removed_at integer, removed_by text
);
create index if not exists share_owner on share (owner);
create table if not exists item (
  share_id text not null, key text not null, type text not null, data text not null, updated_at integer not null,
  primary key (share_id, key)
);
create table if not exists member_token (
  id text primary key, email text not null, hash text not null unique, created_at integer not null,
  created_by text not null, revoked_at integer
);
create table if not exists rate (member text not null, window integer not null, count integer not null, primary key (member, window));
create table if not exists audit (
  id integer primary key autoincrement, at integer not null, actor text not null, action text not null, share_id text, detail text
);
create table if not exists meta (key text primary key, value text not null);
create table if not exists web_session (hash text primary key, email text not null, created_at integer not null, expires_at integer not null);
`
