/**
 * `opencode share-server`: runs the team share server, and its
 * administrators' commands, which work on its database directly (run them
 * where the server's database is): `token create --user EMAIL` prints a member
 * token, `token revoke <id>`, `token list`, `shares list`, `shares remove <id>`,
 * `audit`.
 */
import cac from "cac"
import * as Effect from "effect/Effect"
import { createSanitizer } from "@local/opencode/sanitize"
import { shareApp } from "./app.ts"
import { allowedEmail, DEFAULT_EXPIRY, DEFAULT_MAX_BODY, DEFAULT_MAX_SHARE, DEFAULT_PORT, DEFAULT_RATE, serverConfig, type ConfigInput, type ServerConfig } from "./config.ts"
import { rowOf, type ServerError } from "./errors.ts"
import { ShareStore } from "./store.ts"
import { postgresStore, withoutPassword } from "./store-postgres.ts"

export const SERVER_VERSION = "0.1.0"

type Options = {
  port?: string
  hostname?: string
  database?: string
  publicUrl?: string
  admin?: string | string[]
  allowEmailDomain?: string
  expires?: string
  maxBody?: string
  rateLimit?: string
  maxShare?: string
  oidcIssuer?: string
  oidcClientId?: string
  oidcClientSecret?: string
  user?: string
  limit?: string
  json?: boolean
}

const say = (text: string) => process.stdout.write(`${text}\n`)
const complain = (text: string) => process.stderr.write(`opencode share-server: ${text}\n`)

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** A flag's value as text: the parser gives numbers as numbers (an empty value as 0), and `true` for a flag given without a value. */
const text = (value: unknown): string => (value === true ? "" : String(value))

const inputOf = (o: Options): ConfigInput => ({
  ...(o.port !== undefined ? { port: text(o.port) } : {}),
  ...(o.hostname !== undefined ? { hostname: text(o.hostname) } : {}),
  ...(o.database !== undefined ? { database: text(o.database) } : {}),
  ...(o.publicUrl !== undefined ? { publicUrl: text(o.publicUrl) } : {}),
  admin: list(o.admin).map(text),
  ...(o.allowEmailDomain !== undefined ? { allowEmailDomain: text(o.allowEmailDomain) } : {}),
  ...(o.expires !== undefined ? { expires: text(o.expires) } : {}),
  ...(o.maxBody !== undefined ? { maxBody: text(o.maxBody) } : {}),
  ...(o.rateLimit !== undefined ? { rateLimit: text(o.rateLimit) } : {}),
  ...(o.maxShare !== undefined ? { maxShare: text(o.maxShare) } : {}),
  ...(o.oidcIssuer !== undefined ? { oidcIssuer: text(o.oidcIssuer) } : {}),
  ...(o.oidcClientId !== undefined ? { oidcClientId: text(o.oidcClientId) } : {}),
  ...(o.oidcClientSecret !== undefined ? { oidcClientSecret: text(o.oidcClientSecret) } : {}),
})

/** The settings, or exit 2 with what is wrong. */
function configOf(o: Options): ServerConfig | number {
  const read = serverConfig(inputOf(o), process.env)
  if ("problem" in read) {
    complain(read.problem)
    return 2
  }
  return read.config
}

/** The store of a `--database`: PostgreSQL by URL, else a SQLite file. */
const storeOf = (database: string) => (/^postgres(ql)?:\/\//i.test(database) ? postgresStore(database) : ShareStore.sqlite(database))

/** Runs `work` with the store of `config`'s database; a store failure is reported with its exit code. */
const withStore = (config: ServerConfig, work: Effect.Effect<number, ServerError, ShareStore>): Effect.Effect<number> =>
  work.pipe(
    Effect.provide(storeOf(config.database)),
    Effect.catch((error: ServerError) =>
      Effect.sync(() => {
        complain(error.message)
        return rowOf(error).exit
      }),
    ),
  )

/** Who an administrator's command is recorded as: the first `--admin`, or the system user. */
const actorOf = (config: ServerConfig) => config.admins[0] ?? `${process.env.USER || "admin"} (command line)`

function serve(config: ServerConfig): Effect.Effect<number> {
  return Effect.scoped(
    Effect.gen(function* () {
      const store = yield* ShareStore
      const sanitizer = createSanitizer({ redact: true })
      let bound = config.port
      // Links name the public URL; without one, where the server listens (known once it does, for --port 0).
      const origin = () => config.publicUrl ?? `http://${config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname}:${bound}`
      const hosts = () => {
        const names = new Set([new URL(origin()).host.toLowerCase()])
        const loopback = config.hostname === "127.0.0.1" || config.hostname === "localhost" || config.hostname === "::1"
        for (const name of loopback ? ["127.0.0.1", "localhost", "[::1]"] : [config.hostname]) names.add(`${name}:${bound}`)
        return names
      }
      const app = shareApp({ config, store, sanitizer, version: SERVER_VERSION, origin, hosts })
      // Bun's own limit stops what is far over; the app's (hono's bodyLimit) answers a body over it with the reason.
      // A page's event stream is quiet between its comments (every 20 s): the idle timeout (Bun's default is 10 s) is longer.
      const server = yield* Effect.acquireRelease(
        Effect.sync(() => Bun.serve({ hostname: config.hostname, port: config.port, fetch: app.fetch, maxRequestBodySize: config.maxBodyBytes + 64 * 1024, idleTimeout: 60 })),
        (s) => Effect.promise(() => s.stop(true)),
      )
      bound = server.port ?? config.port
      // What expired shares published is deleted at start and every ten minutes (their records stay, for the audit).
      yield* store.purgeExpired(Date.now())
      yield* Effect.acquireRelease(
        Effect.sync(() => setInterval(() => void Effect.runPromise(Effect.result(store.purgeExpired(Date.now()))), 10 * 60_000)),
        (timer) => Effect.sync(() => clearInterval(timer)),
      )
      say(`opencode share server listening on http://${config.hostname}:${bound}`)
      say(`links: ${origin()}/share/<id> · database: ${withoutPassword(config.database)} · members only${config.oidc ? ` · sign-in: ${config.oidc.issuer} (redirect URI ${origin()}/auth/callback)` : ""}`)
      return yield* Effect.never
    }).pipe(Effect.provide(storeOf(config.database))),
  ).pipe(
    Effect.catch((error: ServerError) =>
      Effect.sync(() => {
        complain(error.message)
        return rowOf(error).exit
      }),
    ),
  )
}

function program() {
  const cli = cac("opencode share-server")
  const common = (command: ReturnType<typeof cli.command>) =>
    command.option("--database <path>", "The server's SQLite file (default: $XDG_DATA_HOME/opencode-local-overlay/share-server.db; env OPENCODE_SHARE_SERVER_DATABASE)")
  common(
    cli
      .command("", "Run the team share server: the runtime's share protocol, members only")
      .usage(
        "[options]\n\n" +
          "  A share server a team runs on its own infrastructure. Members publish with the runtime's\n" +
          "  /share through the overlay, which adds their token and redacts before anything leaves the\n" +
          "  machine; the server redacts again and keeps each session until its share expires or is\n" +
          "  taken down. Reading a share needs a member's token too. Every option is also read from the\n" +
          "  environment: OPENCODE_SHARE_SERVER_PORT, _HOSTNAME, _DATABASE, _PUBLIC_URL, _ADMINS (comma-\n" +
          "  separated), _ALLOW_EMAIL_DOMAIN, _EXPIRES, _MAX_BODY, _RATE_LIMIT, _MAX_SHARE, _OIDC_ISSUER,\n" +
          "  _OIDC_CLIENT_ID, _OIDC_CLIENT_SECRET.\n\n" +
          "  With --oidc-*, members sign in with the team's identity provider: a browser opening a link\n" +
          "  is sent to sign in, and opencode share login <server> gets a token through the browser.\n" +
          "  Without, members get tokens from an administrator: opencode share-server token create --user EMAIL",
      )
      .option("--port <port>", `Port to listen on (default: ${DEFAULT_PORT}; 0 for a free one)`)
      .option("--hostname <host>", "Address to listen on (default: 127.0.0.1; put a TLS proxy in front for a team)")
      .option("--public-url <url>", "The root URL members reach the server at (links are <public-url>/share/<id>)")
      .option("--admin <email>", "An administrator (repeat for more)")
      .option("--allow-email-domain <domain>", "Only members of this e-mail domain publish and read (needed with --oidc-issuer)")
      .option("--expires <duration>", `How long a share stays up unless its publisher says (default: ${DEFAULT_EXPIRY}; at most a year)`)
      .option("--max-body <bytes>", `The largest request body taken (default: ${DEFAULT_MAX_BODY}; 413 beyond)`)
      .option("--rate-limit <n>", `Requests a member may make per minute (default: ${DEFAULT_RATE}; 429 beyond)`)
      .option("--max-share <bytes>", `The most one share may hold (default: ${DEFAULT_MAX_SHARE}; a sync beyond is 413, nothing of it stored)`)
      .option("--oidc-issuer <url>", "Members sign in with this OpenID Connect issuer (Keycloak, Okta, Entra ID, Google, Dex); redirect URI <public-url>/auth/callback; an e-mail counts only if the issuer says it verified it")
      .option("--oidc-client-id <id>", "This server's client id at the issuer")
      .option("--oidc-client-secret <secret>", "Its client secret (better from OPENCODE_SHARE_SERVER_OIDC_CLIENT_SECRET: a flag shows in ps)"),
  ).action((o: Options) => {
    const config = configOf(o)
    return typeof config === "number" ? Effect.succeed(config) : serve(config)
  })

  common(cli.command("token <action> [id]", "Member tokens: create --user EMAIL (prints the token), revoke <id>, list"))
    .option("--user <email>", "The member a new token is for")
    .option("--admin <email>", "Who issues it, for the audit log")
    .option("--allow-email-domain <domain>", "Refuse a member of another domain")
    .action((action: string, id: string | undefined, o: Options) => {
      const config = configOf(o)
      if (typeof config === "number") return Effect.succeed(config)
      const actor = actorOf(config)
      if (action === "create") {
        const email = (o.user ?? "").trim().toLowerCase()
        if (!allowedEmail(config, email)) {
          complain(o.user ? `--user ${o.user} is not an e-mail address${config.allowEmailDomain ? ` of ${config.allowEmailDomain}` : ""}` : "token create needs --user EMAIL")
          return Effect.succeed(2)
        }
        return withStore(
          config,
          Effect.gen(function* () {
            const store = yield* ShareStore
            const made = yield* store.createToken(email, actor)
            yield* store.record({ actor, action: "token create", shareID: null, detail: `${made.id} for ${email}` })
            process.stderr.write(`Token ${made.id} for ${email} (shown once; give it to them for: opencode share login <server> --token …):\n`)
            say(made.token)
            return 0
          }),
        )
      }
      if (action === "revoke") {
        if (!id) {
          complain("token revoke needs the token's id (token list shows them)")
          return Effect.succeed(2)
        }
        return withStore(
          config,
          Effect.gen(function* () {
            const store = yield* ShareStore
            const revoked = yield* store.revokeToken(id)
            if (!revoked) {
              complain(`no token ${id}`)
              return 1
            }
            yield* store.record({ actor, action: "token revoke", shareID: null, detail: `${id} of ${revoked.email}` })
            say(`revoked ${id} of ${revoked.email}`)
            return 0
          }),
        )
      }
      if (action === "list")
        return withStore(
          config,
          Effect.gen(function* () {
            const store = yield* ShareStore
            for (const t of yield* store.tokens())
              say(`${t.id}  ${t.email}  issued ${new Date(t.createdAt).toISOString()} by ${t.createdBy}${t.revokedAt ? `  revoked ${new Date(t.revokedAt).toISOString()}` : ""}`)
            return 0
          }),
        )
      complain(`token ${action}: say create, revoke or list`)
      return Effect.succeed(2)
    })

  common(cli.command("shares <action> [id]", "Every share: list, remove <id> (takes it down)"))
    .option("--admin <email>", "Who takes it down, for the audit log")
    .option("--json", "list: one JSON object per line")
    .action((action: string, id: string | undefined, o: Options) => {
      const config = configOf(o)
      if (typeof config === "number") return Effect.succeed(config)
      if (action === "list")
        return withStore(
          config,
          Effect.gen(function* () {
            const store = yield* ShareStore
            const now = Date.now()
            for (const s of yield* store.shares()) {
              if (o.json) {
                say(JSON.stringify(s))
                continue
              }
              const state = s.removedAt ? `taken down by ${s.removedBy}` : s.expiresAt <= now ? "expired" : `up until ${new Date(s.expiresAt).toISOString()}`
              say(`${s.id}  ${s.owner}  session ${s.sessionID}  published ${new Date(s.createdAt).toISOString()}  ${state}`)
            }
            return 0
          }),
        )
      if (action === "remove" && id)
        return withStore(
          config,
          Effect.gen(function* () {
            const store = yield* ShareStore
            const actor = actorOf(config)
            const share = yield* store.remove(id, undefined, actor)
            yield* store.record({ actor, action: "take down", shareID: id, detail: `session ${share.sessionID} of ${share.owner}` })
            say(`took down ${id} (session ${share.sessionID} of ${share.owner})`)
            return 0
          }),
        )
      complain(action === "remove" ? "shares remove needs the share's id" : `shares ${action}: say list or remove <id>`)
      return Effect.succeed(2)
    })

  common(cli.command("audit", "Who published, read, revoked and took down what, when (newest first)"))
    .option("--limit <n>", "How many entries (default: 100)")
    .option("--json", "One JSON object per line")
    .action((o: Options) => {
      const config = configOf(o)
      if (typeof config === "number") return Effect.succeed(config)
      const limit = o.limit === undefined ? 100 : Number(o.limit)
      if (!Number.isInteger(limit) || limit < 1) {
        complain(`--limit must be a whole number, at least 1, not "${o.limit}"`)
        return Effect.succeed(2)
      }
      return withStore(
        config,
        Effect.gen(function* () {
          const store = yield* ShareStore
          for (const e of yield* store.audit(limit))
            say(o.json ? JSON.stringify(e) : `${new Date(e.at).toISOString()}  ${e.actor}  ${e.action}${e.shareID ? `  ${e.shareID}` : ""}${e.detail ? `  (${e.detail})` : ""}`)
          return 0
        }),
      )
    })
  cli.help()
  return cli
}

/** Runs the command line `argv` (after `share-server`); answers the exit code. */
export function runShareServer(argv: ReadonlyArray<string>): Effect.Effect<number> {
  return Effect.suspend(() => {
    try {
      const cli = program()
      const parsed = cli.parse(["bun", "opencode share-server", ...argv], { run: false })
      if (parsed.options.help) return Effect.succeed(0)
      const result = cli.runMatchedCommand() as Effect.Effect<number> | undefined
      if (result === undefined) {
        complain(`unknown command: ${argv.join(" ")} (opencode share-server --help)`)
        return Effect.succeed(2)
      }
      return result
    } catch (cause) {
      complain(`${cause instanceof Error ? cause.message : String(cause)} (opencode share-server --help)`)
      return Effect.succeed(2)
    }
  })
}

