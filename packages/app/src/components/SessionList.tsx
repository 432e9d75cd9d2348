import { For, Show } from "solid-js"
import { relativeTime, shortDirectory, dateTime, plural } from "../lib/format.ts"
import { sessionHref } from "../lib/route.ts"
import type { ProjectGroup } from "../lib/search.ts"
import type { SessionListItem } from "../lib/types.ts"
import { PublishedFlag } from "./PublishedFlag.tsx"
import { RevokeButton } from "./RevokeButton.tsx"

/** Sessions grouped by project, newest first. Each entry is a link to the session. */
export function SessionList(props: {
  groups: ReadonlyArray<ProjectGroup>
  openID: string | undefined
  now: number
  onRevoked: (message: string) => void
}) {
  return (
    <nav class="session-list" aria-label="Sessions">
      <For each={props.groups}>
        {(group, index) => (
          <section class="project" aria-labelledby={`project-${index()}`}>
            <h2 class="project-name" id={`project-${index()}`} title={group.worktree}>
              {group.name}
              <span class="project-count" aria-hidden="true">
                {group.sessions.length}
              </span>
              <span class="visually-hidden"> ({plural(group.sessions.length, "session")})</span>
            </h2>
            <ul>
              <For each={group.sessions}>
                {(session) => (
                  <SessionEntry session={session} group={group} open={session.id === props.openID} now={props.now} onRevoked={props.onRevoked} />
                )}
              </For>
            </ul>
          </section>
        )}
      </For>
    </nav>
  )
}

function SessionEntry(props: { session: SessionListItem; group: ProjectGroup; open: boolean; now: number; onRevoked: (message: string) => void }) {
  const where = () => shortDirectory(props.session.directory, props.group.worktree)
  return (
    <li class="session-entry" classList={{ "session-entry--open": props.open, "session-entry--published": !!props.session.published }}>
      <a href={sessionHref(props.session.id)} aria-current={props.open ? "page" : undefined} class="session-link">
        <span class="session-title">{props.session.title || "Untitled session"}</span>
        <span class="session-meta">
          <time datetime={new Date(props.session.updated).toISOString()} title={`Updated ${dateTime(props.session.updated)}`}>
            {relativeTime(props.session.updated, props.now)}
          </time>
          <span aria-hidden="true"> · </span>
          {plural(props.session.messages, "message")}
          <Show when={props.session.children > 0}>
            <span aria-hidden="true"> · </span>
            {plural(props.session.children, "subagent")}
          </Show>
        </span>
        <Show when={where() !== "project root"}>
          <span class="session-dir" title={props.session.directory}>
            {where()}
          </span>
        </Show>
        <Show when={props.session.published}>{(published) => <PublishedFlag published={published()} />}</Show>
      </a>
      <Show when={(props.session.published?.state === "live")}>
        <RevokeButton sessionID={props.session.id} title={props.session.title} compact onRevoked={props.onRevoked} />
      </Show>
    </li>
  )
}
