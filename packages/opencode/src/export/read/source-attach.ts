/**
 * Sessions from a running runtime's HTTP API (`--attach <url>`), through the
 * SDK's v2 client: for a server on another machine, or to export exactly
 * what a running runtime serves. The API returns a session's messages in one
 * response, so this source holds one session at a time in memory.
 *
 * A password-protected server (`opencode serve` with
 * `OPENCODE_SERVER_PASSWORD`) is reached with the same variables the
 * runtime's own `attach` uses: OPENCODE_SERVER_PASSWORD and
 * OPENCODE_SERVER_USERNAME (default `opencode`).
 */
import { createOpencodeClient, type Message, type Part, type Session, type Todo } from "@opencode-ai/sdk/v2/client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { KNOWN_PART_TYPES, type UnknownPart } from "../../model/parts.ts"
import { RUNTIME_PACKAGE } from "../../version.ts"
import { SessionNotFound, SourceUnavailable } from "../document/errors.ts"
import { nearestSessions, SessionSource, type ListFilter, type LoadOptions, type SessionSummary } from "./source.ts"
import { counting, entriesOf, type MessageNode, type PartNode, type SessionTree } from "../document/tree.ts"
import type { Env } from "../../config/env.ts"

type Result<T> = { data?: T; error?: unknown; response?: Response }

const toSummary = (s: Session): SessionSummary => ({
  id: s.id,
  slug: s.slug,
  title: s.title,
  directory: s.directory,
  ...(s.parentID ? { parentID: s.parentID } : {}),
  time: { created: s.time.created, updated: s.time.updated },
})

export const attachSource = (url: string, env: Env = process.env): Layer.Layer<SessionSource, SourceUnavailable> =>
  Layer.effect(
    SessionSource,
    Effect.gen(function* () {
      const headers: Record<string, string> = {}
      if (env.OPENCODE_SERVER_PASSWORD) {
        const user = env.OPENCODE_SERVER_USERNAME || "opencode"
        headers.authorization = `Basic ${Buffer.from(`${user}:${env.OPENCODE_SERVER_PASSWORD}`).toString("base64")}`
      }
      const client = createOpencodeClient({ baseUrl: url.replace(/\/+$/, ""), headers })
      const where = redactUrl(url)

      /** Calls the API; a failed request (not a 404) means the server cannot be used. */
      const call = <T>(what: string, f: () => Promise<Result<T>>) =>
        Effect.tryPromise({
          try: async () => {
            const result = await f()
            const status = result.response?.status
            if (status === 404) return undefined
            if (result.error !== undefined || result.data === undefined)
              throw new Error(status ? `HTTP ${status}${status === 401 ? " (set OPENCODE_SERVER_PASSWORD)" : ""}` : String(result.error))
            return result.data
          },
          catch: (cause) =>
            new SourceUnavailable({
              message: `Cannot ${what} from the OpenCode server at ${where}: ${(cause instanceof Error ? cause.message : String(cause)).replace(/[.?!\s]+$/, "")}. Is it running (opencode serve)? Check --attach.`,
            }),
        })

      const health = yield* call("read the version", () => client.global.health() as Promise<Result<{ version: string }>>)
      const runtime = { name: RUNTIME_PACKAGE, version: health?.version ?? "unknown" }

      const list = (filter: ListFilter) =>
        Effect.map(
          call("list sessions", () => client.experimental.session.list({ roots: filter.roots, archived: true }) as Promise<Result<Session[]>>),
          (sessions) =>
            (sessions ?? [])
              .filter((s) => filter.since === undefined || s.time.updated >= filter.since)
              .sort((a, b) => b.time.updated - a.time.updated || b.id.localeCompare(a.id))
              .slice(0, filter.limit ?? Infinity)
              .map(toSummary),
        )

      const latest = (directory: string) =>
        Effect.map(
          call("list sessions", () => client.session.list({ directory, roots: true }) as Promise<Result<Session[]>>),
          (sessions) => {
            const newest = [...(sessions ?? [])].sort((a, b) => b.time.updated - a.time.updated || b.id.localeCompare(a.id))[0]
            return newest ? toSummary(newest) : undefined
          },
        )

      const names = yield* Effect.map(
        call("list providers", () => client.config.providers() as Promise<Result<{ providers: Array<{ id: string; models: Record<string, { name?: string }> }> }>>),
        (data) => (providerID: string, modelID: string) =>
          data?.providers.find((p) => p.id === providerID)?.models[modelID]?.name,
      ).pipe(Effect.orElseSucceed(() => (_p: string, _m: string): string | undefined => undefined))

      const tree = (info: Session, options: LoadOptions): Effect.Effect<SessionTree, SourceUnavailable> =>
        Effect.gen(function* () {
          const messages =
            (yield* call("read messages", () => client.session.messages({ sessionID: info.id }) as Promise<Result<Array<{ info: Message; parts: Part[] }>>>)) ?? []
          const todos = (yield* call("read todos", () => client.session.todo({ sessionID: info.id }) as Promise<Result<Todo[]>>)) ?? []
          const childInfos = options.children
            ? ((yield* call("read subagent sessions", () => client.session.children({ sessionID: info.id }) as Promise<Result<Session[]>>)) ?? [])
            : []
          const children: SessionTree[] = []
          for (const child of [...childInfos].sort((a, b) => a.time.created - b.time.created || a.id.localeCompare(b.id)))
            children.push(yield* tree(child, options))
          const nodes: MessageNode[] = messages.map((m) => ({
            info: m.info,
            json: JSON.stringify(m.info),
            parts: m.parts.map(
              (p): PartNode =>
                KNOWN_PART_TYPES.has(p.type)
                  ? { kind: "part", value: p, json: JSON.stringify(p) }
                  : { kind: "unsupported", value: p as unknown as UnknownPart, json: JSON.stringify(p) },
            ),
          }))
          const { entries, stats } = counting(entriesOf(nodes), names)
          return { info, json: JSON.stringify(info), todos, warnings: [], entries, stats, children }
        })

      const load = (id: string, options: LoadOptions) =>
        Effect.gen(function* () {
          const info = yield* call("read the session", () => client.session.get({ sessionID: id }) as Promise<Result<Session>>)
          if (!info) {
            const all = yield* list({ roots: false })
            return yield* Effect.fail(new SessionNotFound({ id, nearest: nearestSessions(id, all), where }))
          }
          return yield* tree(info, options)
        })

      return SessionSource.of({ kind: "attach", where, runtime, list, latest, load })
    }),
  )

/** The URL without credentials, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ""
    u.password = ""
    return u.toString().replace(/\/$/, "")
  } catch {
    return url
  }
}
