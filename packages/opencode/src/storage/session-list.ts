/** The sessions the server's session list shows (`GET /overlay/sessions`). */
import { and, desc, eq, isNull, sql } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { publicationOf, type Publication } from "./published.ts"
import { message, project, session, sessionShare } from "./schema.ts"

export type SessionListItem = {
  readonly id: string
  readonly title: string
  readonly directory: string
  readonly project: { readonly id: string; readonly name: string; readonly worktree: string }
  readonly created: number
  readonly updated: number
  readonly messages: number
  readonly children: number
  /** Published before: a live share record, or a leftover link. */
  readonly published: Publication | null
}

/** Top-level sessions (subagent sessions are counted as children), newest first. */
export const listSessions: Effect.Effect<ReadonlyArray<SessionListItem>, never, RuntimeDatabase> = Effect.gen(function* () {
  const db = ormOf(yield* RuntimeDatabase)
  const messages = sql<number>`(select count(*) from ${message} where ${message.sessionID} = ${session.id})`
  const children = sql<number>`(select count(*) from session as child where child.parent_id = ${session.id})`
  const rows = db
    .select({
      id: session.id,
      title: session.title,
      directory: session.directory,
      projectID: session.projectID,
      projectName: project.name,
      worktree: project.worktree,
      created: session.timeCreated,
      updated: session.timeUpdated,
      shareURL: session.shareURL,
      recordURL: sessionShare.url,
      messages,
      children,
    })
    .from(session)
    .leftJoin(project, eq(project.id, session.projectID))
    .leftJoin(sessionShare, eq(sessionShare.sessionID, session.id))
    .where(and(isNull(session.parentID), isNull(session.timeArchived)))
    .orderBy(desc(session.timeUpdated), session.id)
    .all()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    directory: r.directory,
    project: {
      id: r.projectID,
      worktree: r.worktree ?? r.directory,
      name: r.projectName || baseName(r.worktree && r.worktree !== "/" ? r.worktree : r.directory),
    },
    created: r.created,
    updated: r.updated,
    messages: Number(r.messages),
    children: Number(r.children),
    published: publicationOf(r),
  }))
})

const baseName = (path: string) => path.split("/").filter(Boolean).at(-1) ?? path
