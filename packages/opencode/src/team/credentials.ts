/**
 * Member tokens for team share servers, as a service: one file in the
 * overlay's data folder (`team-servers.json`), readable by the user alone
 * (mode 0600 in a 0700 folder), written atomically (a temporary file, then
 * a rename), so a token is never half-saved nor left readable by others.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { overlayDataDir } from "../storage/paths.ts"
import { CredentialsFailed } from "./errors.ts"

export type TeamCredential = {
  readonly token: string
  /** Who the server said the token belongs to. */
  readonly email: string
  readonly savedAt: number
}

type File = { readonly version: 1; readonly servers: Readonly<Record<string, TeamCredential>> }

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env) => join(overlayDataDir(env), "team-servers.json")

export class TeamCredentials extends Context.Service<
  TeamCredentials,
  {
    readonly path: string
    readonly get: (origin: string) => Effect.Effect<TeamCredential | undefined, CredentialsFailed>
    readonly save: (origin: string, credential: TeamCredential) => Effect.Effect<void, CredentialsFailed>
    /** Forgets a server's token; answers whether there was one. */
    readonly remove: (origin: string) => Effect.Effect<boolean, CredentialsFailed>
    readonly list: () => Effect.Effect<Readonly<Record<string, TeamCredential>>, CredentialsFailed>
  }
>()("overlay/TeamCredentials") {
  static readonly layer = (path: string = credentialsPath()): Layer.Layer<TeamCredentials> => Layer.succeed(TeamCredentials, make(path))
}

function make(path: string): TeamCredentials["Service"] {
  const failed = (cause: unknown) => new CredentialsFailed({ path, message: cause instanceof Error ? cause.message : String(cause) })
  const read = Effect.try({
    try: (): File => {
      let text: string
      try {
        text = readFileSync(path, "utf8")
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, servers: {} }
        throw cause
      }
      const parsed = JSON.parse(text) as Partial<File>
      if (parsed.version !== 1 || typeof parsed.servers !== "object" || parsed.servers === null) throw new Error("not a file of team credentials this overlay wrote")
      return parsed as File
    },
    catch: failed,
  })
  const write = (file: File) =>
    Effect.try({
      try: () => {
        const folder = join(path, "..")
        mkdirSync(folder, { recursive: true, mode: 0o700 })
        chmodSync(folder, 0o700)
        const temp = `${path}.${process.pid}.tmp`
        // Created readable by the user alone, before the token is in it.
        writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "w" })
        chmodSync(temp, 0o600)
        renameSync(temp, path)
      },
      catch: failed,
    })
  return TeamCredentials.of({
    path,
    get: (origin) => Effect.map(read, (file) => file.servers[origin]),
    save: (origin, credential) => Effect.flatMap(read, (file) => write({ version: 1, servers: { ...file.servers, [origin]: credential } })),
    remove: (origin) =>
      Effect.flatMap(read, (file) => {
        if (!(origin in file.servers)) return Effect.succeed(false)
        const { [origin]: _, ...rest } = file.servers
        return Effect.as(write({ version: 1, servers: rest }), true)
      }),
    list: () => Effect.map(read, (file) => file.servers),
  })
}
