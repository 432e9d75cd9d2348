import { cac } from "cac"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describeSource } from "../config/layer.ts"
import { describePolicy, policyJson } from "../config/policy.ts"
import { ShareConfig } from "../config/service.ts"
import type { Runtime } from "../runtime/service.ts"
import { EXPORT_HINT } from "../share/constants.ts"
import type { Published } from "../storage/published.ts"
import type { SessionNotPublished, ShareDisabled, ShareRequestFailed, UnknownSession } from "../share/errors.ts"
import { Publications, type ShareStatus } from "../share/publications.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import { parseAndRun } from "../program/args.ts"
import { reportError } from "../program/report.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { UsageError } from "../errors/usage.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { outcomeOf } from "../errors/table.ts"
import { TeamCredentials } from "../team/credentials.ts"
import type { CredentialsFailed, TeamServerUnreachable, TeamTokenRefused } from "../team/errors.ts"
import { memberOf } from "../team/member.ts"
import { browserLogin } from "../team/browser-login.ts"
import { audienceOf } from "../team/route.ts"
import { describeTarget } from "../config/share-target.ts"
import type { LedgerFailed, TeamDeliveryIncomplete, TeamShareRefused, TeamSignInFailed } from "../team/errors.ts"
import { teamOrigin } from "../team/server-url.ts"

const say = (text: string) => Effect.sync(() => process.stdout.write(text))
const complain = (text: string) => Effect.sync(() => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`))

type Common = { dataDir?: string; json?: boolean; dir?: string; all?: boolean }

function program() {
  const cli = cac("opencode share")
  cli
    .command("status", "Show the share policy, where it comes from, and the sessions published before")
    .option("--dir <path>", "Project directory whose policy to show (default: the current directory)")
    .option("--data-dir <dir>", "Folder holding the runtime's opencode.db (default: $XDG_DATA_HOME/opencode)")
    .option("--json", "Print the status as JSON")
    .action((options: Common) => withShare(options, status(options)))
  cli
    .command("revoke [sessionID]", "Unpublish a session's copy (allowed whatever the policy; a team share also after its local session is gone)")
    .option("--all", "Revoke every session published from this machine")
    .option("--data-dir <dir>", "Folder holding the runtime's opencode.db (default: $XDG_DATA_HOME/opencode)")
    .action((sessionID: string | undefined, options: Common) => withShare(options, revoke(sessionID, options)))
  cli
    .command("login <server>", "Keep a member token for a team share server (opencode share-server), checked with it first")
    .option("--token <token>", "The member token an administrator issued (opencode share-server token create); - reads it from stdin. Without: sign in with the browser")
    .option("--no-browser", "Print the sign-in address only; do not try to open a browser")
    .action((server: string, options: Common & { token?: string; browser?: boolean }) => withTeam(login(server, options.token, options.browser !== false)))
  cli
    .command("logout <server>", "Forget the member token of a team share server")
    .action((server: string) => withTeam(logout(server)))
  cli
    .command("[sessionID]", "Publish a session (only where this project's opencode.json enables sharing); prints the link")
    .option("--expires <duration>", "On a team share server: the share's lifetime, as 30m, 12h, 7d or 2w (the server caps it)")
    .option("--data-dir <dir>", "Folder holding the runtime's opencode.db (default: $XDG_DATA_HOME/opencode)")
    .action((sessionID: string | undefined, options: Common & { expires?: string }) =>
      sessionID === undefined
        ? Effect.fail(new UsageError({ message: "name a session to publish, or use 'status' or 'revoke'", hint: "opencode share --help" }))
        : withShare(options, publish(sessionID, options.expires)),
    )
  cli.help((sections) => [
    ...sections,
    {
      title: "Policy",
      body: [
        '  Sharing is "disabled" unless this project\'s opencode.json says "manual" or "auto".',
        '  A project\'s "disabled" holds against every other file, flag and variable.',
        `  To hand a session to someone without publishing it: ${EXPORT_HINT}`,
      ].join("\n"),
    },
    {
      title: "Exit codes",
      body: "  0 done, 1 session not found or not published, no database to read, a team server not reached or not given the whole session yet, 2 bad usage or a token the server refused, 3 the token or the ledger could not be kept, 4 refused by the share policy (or team sharing refused: --pure, a console account), 5 the runtime failed",
    },
  ])
  return cli
}

const withShare = <A, E>(options: Common, effect: Effect.Effect<A, E, Publications>) =>
  Effect.provide(
    effect,
    Publications.layer(RuntimeDatabase.layer(options.dataDir), process.env, process.cwd(), options.dataDir).pipe(
      Layer.provide(ShareConfig.layer),
      Layer.provide(TeamCredentials.layer()),
    ),
  )

const status = (options: Common) =>
  Effect.gen(function* () {
    const share = yield* Publications
    const result = yield* share.status(options.dir ?? process.cwd())
    yield* say(options.json ? `${JSON.stringify(statusJson(result), null, 2)}\n` : statusText(result))
    return ExitCode.ok
  })

const revoke = (sessionID: string | undefined, options: Common) =>
  Effect.gen(function* () {
    const share = yield* Publications
    if (options.all && sessionID)
      return yield* new UsageError({ message: "give a session id or --all, not both", hint: "opencode share revoke --help" })
    if (!options.all && !sessionID)
      return yield* new UsageError({ message: "name the session to revoke, or use --all", hint: "opencode share revoke --help" })
    const targets = options.all
      ? [
          ...new Set([
            ...(yield* share.published()).filter((p) => p.state === "live").map((p) => p.sessionID),
            // Team shares whose local session is gone are in the ledger only.
            ...(yield* share.status(options.dir ?? process.cwd())).teamShares.filter((t) => t.revokedAt === null).map((t) => t.sessionID),
          ]),
        ]
      : [sessionID!]
    if (targets.length === 0) {
      yield* complain("Nothing to revoke: no session is published from this machine.")
      return ExitCode.ok
    }
    let failed = 0
    for (const id of targets) {
      const result = yield* Effect.result(share.unshare(id))
      if (result._tag === "Success") {
        yield* say(`revoked ${id} ${result.success.url}\n`)
      } else {
        failed++
        yield* complain(`opencode: could not revoke ${id}: ${result.failure.message}`)
        if (!options.all) return outcomeOf(result.failure).exit
      }
    }
    if (options.all) yield* complain(`Revoked ${targets.length - failed} of ${targets.length} published sessions.`)
    return failed === 0 ? ExitCode.ok : ExitCode.runtimeFailed
  })

const withTeam = <A, E>(effect: Effect.Effect<A, E, TeamCredentials>) => Effect.provide(effect, TeamCredentials.layer())

const originOf = (server: string) => {
  const read = teamOrigin(server)
  return "problem" in read ? Effect.fail(new UsageError({ message: read.problem, hint: "opencode share login --help" })) : Effect.succeed(read.origin)
}

/** `share login <server> --token T`: the token is kept only once the server says whose it is. */
const login = (server: string, given: string | undefined, open: boolean) =>
  Effect.gen(function* () {
    const origin = yield* originOf(server)
    // No token given: the member signs in with the team's identity provider in a browser (a server with --oidc-*).
    const token = (
      given === undefined ? yield* browserLogin(origin, { open, say: (line) => process.stderr.write(`${line}\n`) }) : given === "-" ? yield* Effect.promise(() => Bun.stdin.text()) : given
    ).trim()
    if (!/^[\x21-\x7e]{8,512}$/.test(token)) return yield* new UsageError({ message: "that is not a token (printable characters, no spaces)", hint: "opencode share login --help" })
    const email = yield* memberOf(origin, token)
    const credentials = yield* TeamCredentials
    yield* credentials.save(origin, { token, email, savedAt: Date.now() })
    yield* say(`Signed in to ${origin} as ${email} (members only). The token is kept in ${credentials.path}, readable by you alone.\n`)
    return ExitCode.ok
  })

const logout = (server: string) =>
  Effect.gen(function* () {
    const origin = yield* originOf(server)
    const credentials = yield* TeamCredentials
    const had = yield* credentials.remove(origin)
    yield* say(had ? `Signed out of ${origin}: its token is forgotten here.\n` : `No token for ${origin} was kept here.\n`)
    return ExitCode.ok
  })

const publish = (sessionID: string, expires: string | undefined) =>
  Effect.gen(function* () {
    if (expires !== undefined && !DURATION.test(expires))
      return yield* new UsageError({ message: `--expires takes a duration as 30m, 12h, 7d or 2w, not ${JSON.stringify(expires)}`, hint: "opencode share --help" })
    const share = yield* Publications
    const { url, audience } = yield* share.share(sessionID, expires === undefined ? {} : { expires })
    yield* complain(`Published ${sessionID} to ${audience}.`)
    yield* say(`${url}\n`)
    return ExitCode.ok
  })

/** What the team share server reads as a lifetime (`x-share-expires`; it caps it at its own maximum). */
const DURATION = /^\d{1,6}[smhdw]$/

function statusJson(status: ShareStatus) {
  const { target, route } = status.team
  return {
    ...policyJson(status.policy),
    target: { url: target.url, kind: route.kind === "team" ? "team" : target.kind, through_overlay: route.kind === "team", ...(route.kind === "refused" ? { refused: route.reason } : {}) },
    audience: audienceOf(route, target),
    signed_in: status.signedIn,
    team_shares: status.teamShares,
    remote: status.remote,
    published: status.published,
  }
}

const REMOTE_NAME = { "well-known": "well-known config of an auth entry", console: "the active console organisation's config" } as const

function statusText({ policy, published, remote, team, signedIn, teamShares }: ShareStatus): string {
  const lines = [`Sharing: ${describePolicy(policy)}`]
  if (policy.mode === "disabled") lines.push(`  Nothing is published. To hand a session to someone: ${EXPORT_HINT}`)
  else lines.push(`  Published sessions go to ${audienceOf(team.route, team.target)}.`, `  Share host: ${describeTarget(team.target)}`)
  lines.push("", signedIn.length === 0 ? "Team share servers signed in to: none (opencode share login <server>)" : "Team share servers signed in to:")
  for (const s of signedIn) lines.push(`  ${s.origin} as ${s.email}`)
  if (teamShares.length > 0) {
    lines.push("", `Shared on team servers from this machine (${teamShares.length}):`)
    for (const t of teamShares)
      lines.push(
        `  ${t.sessionID}  ${t.url}  ${t.revokedAt === null ? "live" : `revoked ${new Date(t.revokedAt).toISOString()}`}${t.waiting > 0 ? `, ${t.waiting} updates waiting to be sent` : ""}`,
      )
  }
  if (policy.overridden.length > 0) {
    lines.push("", "Attempts to enable sharing that were overridden:")
    for (const o of policy.overridden) lines.push(`  ${describeSource(o.source)} ("${o.mode}"): ${o.reason}`)
  }
  if (policy.problems.length > 0) {
    lines.push("", 'Config files that could not be read (each counts as "disabled"):')
    for (const p of policy.problems)
      lines.push(`  ${describeSource(p.source)}:${p.problem.line}:${p.problem.column}: ${p.problem.message}`)
  }
  if (remote.length > 0) {
    lines.push("", "Config the runtime fetches when it starts (not readable before; it can only disable sharing further):")
    for (const r of remote) lines.push(`  ${r.url} (${REMOTE_NAME[r.kind]})`)
  }
  lines.push("", published.length === 0 ? "Published before: none" : `Published before (${published.length}):`)
  for (const p of published) lines.push(`  ${publishedLine(p)}`)
  return `${lines.join("\n")}\n`
}

function publishedLine(p: Published): string {
  const note =
    p.state === "live" ? `revoke: opencode share revoke ${p.sessionID}` : "link only: no share record here (revoked, or published elsewhere)"
  return `${p.sessionID}  ${JSON.stringify(p.title)}  ${p.url}  (${note})`
}

type ShareCliError =
  | UsageError
  | ShareDisabled
  | ShareRequestFailed
  | UnknownSession
  | SessionNotPublished
  | DatabaseMissing
  | DatabaseUnreadable
  | TeamTokenRefused
  | TeamServerUnreachable
  | CredentialsFailed
  | LedgerFailed
  | TeamShareRefused
  | TeamDeliveryIncomplete
  | TeamSignInFailed

export const run: CommandRun = (argv) =>
  parseAndRun<number, ShareCliError, Runtime>(program(), argv).pipe(
    Effect.map((code) => code ?? ExitCode.ok),
    Effect.catch((error: ShareCliError) =>
      reportError("opencode", error, error._tag === "ShareDisabled" ? error.lines.join("\n  ") : error.message),
    ),
  )
