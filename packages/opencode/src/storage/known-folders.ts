/**
 * Whether the runtime knows a folder: a project's worktree, or the folder of
 * one of its sessions (`server/request-guard.ts` opens no other from a link
 * that came from outside the browser, but the folder the server was started
 * in).
 */
import { inArray } from "drizzle-orm"
import * as Effect from "effect/Effect"
import { RuntimeDatabase } from "./database.ts"
import { ormOf } from "./orm.ts"
import { project, session } from "./schema.ts"

/** A folder as written, and without trailing separators (`/home/ada/app/` names the same folder). */
const spellingsOf = (folder: string): string[] => [...new Set([folder, folder.replace(/(?<=.)[\\/]+$/, "")])]

/** Do `a` and `b` name the same folder, as written? */
export const sameFolder = (a: string, b: string): boolean => spellingsOf(a).some((spelling) => spellingsOf(b).includes(spelling))

export const isKnownFolder = (folder: string): Effect.Effect<boolean, never, RuntimeDatabase> =>
  Effect.gen(function* () {
    const spellings = spellingsOf(folder)
    const db = ormOf(yield* RuntimeDatabase)
    // Not the runtime's `global` project, whose worktree is `/` (sessions outside any repository): nobody chose it.
    const projects = spellings.filter((spelling) => spelling !== "/")
    const asProject = projects.length === 0 ? [] : db.select({ id: project.id }).from(project).where(inArray(project.worktree, projects)).limit(1).all()
    if (asProject.length > 0) return true
    return db.select({ id: session.id }).from(session).where(inArray(session.directory, spellings)).limit(1).all().length > 0
  })
