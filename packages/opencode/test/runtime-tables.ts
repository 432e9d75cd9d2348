/**
 * The runtime's tables, as far as the overlay reads them (columns and indexes
 * of opencode-ai 1.18.33's database), for unit tests on synthetic databases.
 * The end-to-end tests use databases the runtime made itself.
 */
export const RUNTIME_TABLES = `
    create table project (id text primary key, worktree text not null, vcs text, name text, time_created integer not null, time_updated integer not null);
    create table session (id text primary key, project_id text not null, workspace_id text, parent_id text, slug text not null,
      directory text not null, path text, title text not null, version text not null, share_url text, summary_additions integer,
      summary_deletions integer, summary_files integer, summary_diffs text, metadata text, cost real not null default 0,
      tokens_input integer not null default 0, tokens_output integer not null default 0, tokens_reasoning integer not null default 0,
      tokens_cache_read integer not null default 0, tokens_cache_write integer not null default 0, revert text, permission text,
      agent text, model text, time_created integer not null, time_updated integer not null, time_compacting integer, time_archived integer);
    create table message (id text primary key, session_id text not null, time_created integer not null, time_updated integer not null, data text not null);
    create table part (id text primary key, message_id text not null, session_id text not null, time_created integer not null, time_updated integer not null, data text not null);
    create table todo (session_id text not null, content text not null, status text not null, priority text not null, position integer not null,
      time_created integer not null, time_updated integer not null, primary key (session_id, position));
    create index message_session_time_created_id_idx on message (session_id, time_created, id);
    create index part_message_id_id_idx on part (message_id, id);
    create index part_session_idx on part (session_id);
`
