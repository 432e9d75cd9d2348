/**
 * Whether the runtime knows a folder: a project's worktree, or the folder of
 * one of its sessions (`server/request-guard.ts` opens no other from a link
 * that came from outside the browser).
 */
import { inArray } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { project, session } from "./schema.ts"

export const isKnownFolder = (folder: string): Effect.Effect<boolean, never, RuntimeDatabase> =>
  Effect.gen(function* () {
    const db = ormOf(yield* RuntimeDatabase)
    // As written, and without trailing separators (`/home/ada/app/` names the same folder).
    const spellings = [...new Set([folder, folder.replace(/(?<=.)[\\/]+$/, "")])]
    const asProject = db.select({ id: project.id }).from(project).where(inArray(project.worktree, spellings)).limit(1).all()
    if (asProject.length > 0) return true
    return db.select({ id: session.id }).from(session).where(inArray(session.directory, spellings)).limit(1).all().length > 0
  })
