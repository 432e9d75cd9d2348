/**
 * The session command registry: the one list of the overlay's session
 * commands. The TUI plugin, the server (`GET /overlay/commands`) and the app
 * read it; nothing else spells the list out.
 *
 * Each entry has its names, words, its availability under the share policy
 * (pure, so a listing is plain data) and an Effect handler. Handlers act
 * through the overlay's own CLI (`OverlayCli`), so every surface writes and
 * refuses exactly as `opencode export` and `opencode share` do.
 */
import * as Effect from "effect/Effect"
import { ExitCode } from "../errors/exit-codes.ts"
import { outcomeOfExit } from "../errors/table.ts"
import type { SharePolicy } from "../config/policy.ts"
import type { Refusal } from "../share/refusal.ts"
import { CommandFailed, CommandRefused, type CommandError, type CommandName } from "./errors.ts"
import { exportViaCli, failure, type Exported, type ExportInput } from "./export.ts"
import { OverlayCli } from "./overlay-cli.ts"
import { shareRefusal, unshareRefusal } from "./refusal.ts"

export type { CommandName } from "./errors.ts"

/** The session a command would act on. */
export type SessionContext = {
  readonly id: string
  /** The session has a public copy from before (a share link the runtime still holds). */
  readonly published: boolean
}

export type CommandContext = {
  readonly policy: SharePolicy
  /** Absent where no session is chosen yet (a home screen, a listing). */
  readonly session?: SessionContext
}

export type Availability =
  | { readonly offered: true }
  | {
      readonly offered: false
      /** Why, ready to show. */
      readonly reason: string
      /** Where the share policy is the reason: its full refusal. */
      readonly refusal?: Refusal
    }

/** The runtime TUI's internal names of its own session commands. */
export type BuiltinCommand = "session.export" | "session.share" | "session.unshare"

export type SessionCommand<I, A> = {
  readonly name: CommandName
  /** Typed after `/`, without it. */
  readonly slashName: string
  readonly aliases: ReadonlyArray<string>
  readonly category: string
  /** The runtime's command this one replaces or leaves in place. */
  readonly builtin: BuiltinCommand
  readonly title: (context: CommandContext) => string
  readonly description: (context: CommandContext) => string
  readonly availability: (context: CommandContext) => Availability
  /**
   * Does the overlay's command stand in for the runtime's under this policy?
   * Where it does, every surface runs this entry (its handler, or its
   * refusal); where it does not, the runtime's own command runs unchanged
   * (sharing in a project that opted in).
   */
  readonly replacesBuiltin: (policy: SharePolicy) => boolean
  readonly run: (context: CommandContext, input: I) => Effect.Effect<A, CommandError, OverlayCli>
}

export type SessionTarget = {
  readonly sessionID: string
  /** The project folder: the CLI runs there. */
  readonly directory: string
}

/** A public link: what sharing made, or what revoking took down. */
export type ShareLink = { readonly url: string }

const disabled = (context: CommandContext) => context.policy.mode === "disabled"

export const exportCommand: SessionCommand<ExportInput, Exported> = {
  name: "export",
  slashName: "export",
  aliases: [],
  category: "Session",
  builtin: "session.export",
  title: () => "Export session log",
  description: () => "Write a local Markdown or JSON log of the session, secrets redacted",
  availability: () => ({ offered: true }),
  replacesBuiltin: () => true,
  run: (_context, request) => exportViaCli(request),
}

export const shareCommand: SessionCommand<SessionTarget, ShareLink> = {
  name: "share",
  slashName: "share",
  aliases: [],
  category: "Session",
  builtin: "session.share",
  title: () => "Share session",
  description: () => "Publish this session to the share service (this project opted in)",
  availability: (context) => {
    if (!disabled(context)) return { offered: true }
    const refusal = shareRefusal(context.policy)
    return { offered: false, reason: refusal.message, refusal }
  },
  replacesBuiltin: (policy) => policy.mode === "disabled",
  run: (context, target) =>
    Effect.gen(function* () {
      if (disabled(context)) return yield* new CommandRefused({ command: "share", refusal: shareRefusal(context.policy) })
      const cli = yield* OverlayCli
      const result = yield* cli.run("share", ["share", target.sessionID], { cwd: target.directory })
      if (result.code !== ExitCode.ok) return yield* failure("share", result)
      const url = result.stdout.trim().split("\n").at(-1)?.trim()
      if (!url) return yield* new CommandFailed({ command: "share", outcome: outcomeOfExit(ExitCode.runtimeFailed), message: "opencode share printed no link." })
      return { url }
    }),
}

export const unshareCommand: SessionCommand<SessionTarget, ShareLink> = {
  name: "unshare",
  slashName: "unshare",
  aliases: ["revoke"],
  category: "Session",
  builtin: "session.unshare",
  title: (context) => (disabled(context) ? "Revoke public link" : "Unshare session"),
  description: () => "Unpublish the public copy of this session (always allowed)",
  availability: (context) => {
    if (context.session?.published) return { offered: true }
    if (disabled(context)) {
      const refusal = unshareRefusal(context.policy)
      return { offered: false, reason: refusal.message, refusal }
    }
    return { offered: false, reason: "This session has no public link to revoke." }
  },
  // While disabled the runtime's own unshare is switched off with the rest of its sharing
  // (OPENCODE_DISABLE_SHARE makes it a silent no-op), so revoking goes through the overlay.
  replacesBuiltin: (policy) => policy.mode === "disabled",
  run: (context, target) =>
    Effect.gen(function* () {
      if (context.session && !context.session.published && disabled(context))
        return yield* new CommandRefused({ command: "unshare", refusal: unshareRefusal(context.policy) })
      const cli = yield* OverlayCli
      const result = yield* cli.run("unshare", ["share", "revoke", target.sessionID], { cwd: target.directory })
      if (result.code !== ExitCode.ok) return yield* failure("unshare", result)
      // `revoked <sessionID> <url>`
      const url = result.stdout.trim().split(/\s+/).at(-1) ?? ""
      return { url }
    }),
}

/** Every session command, in the order a menu shows them. */
export const SESSION_COMMANDS = [exportCommand, shareCommand, unshareCommand] as const

export type AnySessionCommand = (typeof SESSION_COMMANDS)[number]

export function findCommand(name: string): AnySessionCommand | undefined {
  return SESSION_COMMANDS.find((c) => c.name === name || c.slashName === name || c.aliases.includes(name))
}

/** One command as plain JSON: what `GET /overlay/commands` answers and the app shows. */
export type CommandInfo = {
  readonly name: CommandName
  readonly slashName: string
  /** `/export` */
  readonly slash: string
  readonly aliases: ReadonlyArray<string>
  readonly title: string
  readonly description: string
  readonly category: string
  readonly builtin: BuiltinCommand
  readonly offered: boolean
  /** The overlay's command stands in for the runtime's `builtin` (else the runtime's own runs). */
  readonly replacesBuiltin: boolean
  /** Why it is not offered (the policy's refusal, with its source); absent when offered. */
  readonly reason?: string
  readonly refusal?: Refusal
}

export function describeCommand(command: AnySessionCommand, context: CommandContext): CommandInfo {
  const availability = command.availability(context)
  return {
    name: command.name,
    slashName: command.slashName,
    slash: `/${command.slashName}`,
    aliases: [...command.aliases],
    title: command.title(context),
    description: command.description(context),
    category: command.category,
    builtin: command.builtin,
    offered: availability.offered,
    replacesBuiltin: command.replacesBuiltin(context.policy),
    ...(availability.offered ? {} : { reason: availability.reason, ...(availability.refusal ? { refusal: availability.refusal } : {}) }),
  }
}

/**
 * The session commands under a share policy, as JSON-safe data (pure). With
 * `session`, availability is for that session (`unshare` needs one that was
 * published); without, for a session not published.
 */
export function listCommands(policy: SharePolicy, session?: SessionContext): ReadonlyArray<CommandInfo> {
  const context: CommandContext = session ? { policy, session } : { policy }
  return SESSION_COMMANDS.map((command) => describeCommand(command, context))
}
