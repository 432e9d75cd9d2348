/**
 * The one table from every overlay error to what each surface says with it:
 * the CLI's exit code, the HTTP status and the JSON `error` code of the
 * server. The compiler checks it is complete: a new tagged error in the union
 * below without a row (or a row without an error) does not build.
 *
 * Errors of the session command registry (`command/errors.ts`) carry their
 * row: a refusal is `ShareDisabled`'s, a failure of the overlay CLI is the
 * row of the exit code it ended with (`outcomeOfExit`).
 */
import type { ContentfulStatusCode } from "hono/utils/http-status"
import type { ShareDisabled, ShareRequestFailed, SessionNotPublished, UnknownSession } from "../share/errors.ts"
import { SHARE_DISABLED } from "../share/refusal.ts"
import type { NoSessions, OutputExists, SessionNotFound, SourceUnavailable, WriteFailed } from "../export/document/errors.ts"
import type { ImportConflict, ImportInvalid } from "../import/errors.ts"
import type { RuntimeCommandFailed, RuntimeNotFound, RuntimeSpawnFailed, RuntimeUnreachable } from "../runtime/errors.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import type { IndexFailed } from "../history/errors.ts"
import type { LogFolderUnwritable } from "../session-log/errors.ts"
import type { BadRequestTarget, CrossOriginRefused, HostNotAllowed, TooManyPasswordGuesses } from "../http/errors.ts"
import type { CredentialsFailed, LedgerFailed, TeamDeliveryIncomplete, TeamServerUnreachable, TeamShareRefused, TeamSignInFailed, TeamTokenRefused } from "../team/errors.ts"
import { ExitCode, type ExitCodeValue } from "./exit-codes.ts"
import type { UsageError } from "./usage.ts"

export type OverlayError =
  | UsageError
  | DatabaseMissing
  | DatabaseUnreadable
  | RuntimeNotFound
  | RuntimeSpawnFailed
  | RuntimeUnreachable
  | RuntimeCommandFailed
  | ShareDisabled
  | ShareRequestFailed
  | SessionNotPublished
  | UnknownSession
  | SessionNotFound
  | NoSessions
  | SourceUnavailable
  | OutputExists
  | WriteFailed
  | ImportInvalid
  | ImportConflict
  | IndexFailed
  | LogFolderUnwritable
  | HostNotAllowed
  | CrossOriginRefused
  | BadRequestTarget
  | TooManyPasswordGuesses
  | TeamTokenRefused
  | TeamServerUnreachable
  | CredentialsFailed
  | LedgerFailed
  | TeamShareRefused
  | TeamDeliveryIncomplete
  | TeamSignInFailed

export type Outcome = {
  readonly exit: ExitCodeValue
  readonly status: ContentfulStatusCode
  /** The `error` field of the server's JSON answer. */
  readonly code: string
}

const row = (exit: ExitCodeValue, status: ContentfulStatusCode, code: string): Outcome => ({ exit, status, code })

/** The runtime did not do what was asked: its errors, and the CLI's exit code 5, all read alike. */
const RUNTIME_FAILED = row(ExitCode.runtimeFailed, 502, "runtime_failed")

export const OUTCOMES: { readonly [Tag in OverlayError["_tag"]]: Outcome } = {
  UsageError: row(ExitCode.usage, 400, "bad_request"),
  DatabaseMissing: row(ExitCode.notFound, 404, "no_database"),
  DatabaseUnreadable: row(ExitCode.notFound, 500, "database_unreadable"),
  RuntimeNotFound: row(ExitCode.runtimeMissing, 500, "runtime_missing"),
  RuntimeSpawnFailed: row(ExitCode.runtimeFailed, 500, "runtime_not_started"),
  RuntimeUnreachable: row(ExitCode.runtimeFailed, 502, "runtime_unreachable"),
  RuntimeCommandFailed: RUNTIME_FAILED,
  ShareDisabled: row(ExitCode.shareRefused, 403, SHARE_DISABLED),
  ShareRequestFailed: RUNTIME_FAILED,
  SessionNotPublished: row(ExitCode.notFound, 409, "not_published"),
  UnknownSession: row(ExitCode.notFound, 404, "session_not_found"),
  SessionNotFound: row(ExitCode.notFound, 404, "session_not_found"),
  NoSessions: row(ExitCode.notFound, 404, "no_sessions"),
  SourceUnavailable: row(ExitCode.notFound, 503, "source_unavailable"),
  OutputExists: row(ExitCode.writeFailed, 409, "output_exists"),
  WriteFailed: row(ExitCode.writeFailed, 500, "write_failed"),
  ImportInvalid: row(ExitCode.usage, 400, "invalid_import"),
  ImportConflict: row(ExitCode.writeFailed, 409, "import_conflict"),
  IndexFailed: row(ExitCode.writeFailed, 500, "index_failed"),
  LogFolderUnwritable: row(ExitCode.writeFailed, 500, "log_folder_unwritable"),
  // The server's refusals of a request a browser page may have sent; no command ends with them.
  HostNotAllowed: row(ExitCode.usage, 421, "host_not_allowed"),
  CrossOriginRefused: row(ExitCode.usage, 403, "cross_origin"),
  BadRequestTarget: row(ExitCode.usage, 400, "bad_request_target"),
  TooManyPasswordGuesses: row(ExitCode.usage, 429, "too_many_password_guesses"),
  TeamTokenRefused: row(ExitCode.usage, 401, "team_token_refused"),
  TeamServerUnreachable: row(ExitCode.notFound, 502, "team_server_unreachable"),
  CredentialsFailed: row(ExitCode.writeFailed, 500, "credentials_failed"),
  LedgerFailed: row(ExitCode.writeFailed, 500, "ledger_failed"),
  TeamShareRefused: row(ExitCode.shareRefused, 403, "team_share_refused"),
  // Published, and what was not delivered waits in the outbox: the server's state is behind, not lost.
  TeamDeliveryIncomplete: row(ExitCode.notFound, 502, "team_delivery_incomplete"),
  TeamSignInFailed: row(ExitCode.notFound, 504, "team_sign_in_failed"),
}

export const outcomeOf = (error: OverlayError): Outcome => OUTCOMES[error._tag]

/**
 * What an exit code of the overlay CLI means to a caller that sees only the
 * code (the registry runs the CLI as a subprocess): the row of the error
 * class that exit code stands for.
 */
const BY_EXIT: { readonly [Code in Exclude<ExitCodeValue, 0>]: Outcome } = {
  [ExitCode.notFound]: row(ExitCode.notFound, 404, "not_found"),
  [ExitCode.usage]: OUTCOMES.UsageError,
  [ExitCode.writeFailed]: row(ExitCode.writeFailed, 409, "write_refused"),
  [ExitCode.shareRefused]: OUTCOMES.ShareDisabled,
  [ExitCode.runtimeFailed]: RUNTIME_FAILED,
  [ExitCode.runtimeMissing]: OUTCOMES.RuntimeNotFound,
}

/** The row of an exit code; one the overlay never uses (a crash, a signal) counts as the runtime failing. */
export function outcomeOfExit(code: number): Outcome {
  return (BY_EXIT as Readonly<Record<number, Outcome>>)[code] ?? BY_EXIT[ExitCode.runtimeFailed]
}
