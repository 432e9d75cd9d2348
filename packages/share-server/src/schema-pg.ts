/**
 * The share server's tables in PostgreSQL (drizzle's pg-core), the same as
 * `schema.ts`'s SQLite tables column for column, for a team that runs several
 * instances on one database. Times are milliseconds since the epoch (bigint,
 * read as numbers). The server creates them itself at start, under an advisory
 * lock so that instances starting together take turns.
 */
import { bigint, bigserial, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core"

const ms = (name: string) => bigint(name, { mode: "number" })

export const share = pgTable(
  "share",
  {
    id: text("id").primaryKey(),
    sessionID: text("session_id").notNull(),
    owner: text("owner").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    removedAt: ms("removed_at"),
    removedBy: text("removed_by"),
  },
  (t) => [index("share_owner").on(t.owner)],
)

export const item = pgTable(
  "item",
  {
    shareID: text("share_id").notNull(),
    key: text("key").notNull(),
    type: text("type").notNull(),
    data: text("data").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shareID, t.key] })],
)

export const memberToken = pgTable("member_token", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  hash: text("hash").notNull().unique(),
  createdAt: ms("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  revokedAt: ms("revoked_at"),
})

export const rate = pgTable(
  "rate",
  {
    member: text("member").notNull(),
    window: bigint("window", { mode: "number" }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.member, t.window] })],
)

export const audit = pgTable("audit", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  at: ms("at").notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  shareID: text("share_id"),
  detail: text("detail"),
})

export const webSession = pgTable("web_session", {
  hash: text("hash").primaryKey(),
  email: text("email").notNull(),
  createdAt: ms("created_at").notNull(),
  expiresAt: ms("expires_at").notNull(),
})

export const meta = pgTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
})

/** The channel a sync or a take-down is announced on (its payload: the share's id), for pages open on every instance. */
export const CHANGES_CHANNEL = "opencode_share_changed"

/** The lock instances take to create the tables one at a time (any number a team's other software is unlikely to use). */
export const MIGRATION_LOCK = 4_097_001

export const CREATE_TABLES = `
create table if not exists share (
  id text primary key, session_id text not null, owner text not null, secret_hash text not null,
  created_at bigint not null, expires_at bigint not null, removed_at bigint, removed_by text
);
create index if not exists share_owner on share (owner);
create table if not exists item (
  share_id text not null, key text not null, type text not null, data text not null, updated_at bigint not null,
  primary key (share_id, key)
);
create table if not exists member_token (
  id text primary key, email text not null, hash text not null unique, created_at bigint not null,
  created_by text not null, revoked_at bigint
);
create table if not exists rate (member text not null, "window" bigint not null, count integer not null, primary key (member, "window"));
create table if not exists audit (
  id bigserial primary key, at bigint not null, actor text not null, action text not null, share_id text, detail text
);
create table if not exists meta (key text primary key, value text not null);
create table if not exists web_session (hash text primary key, email text not null, created_at bigint not null, expires_at bigint not null);
`
