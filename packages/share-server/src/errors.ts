/**
 * The share server's errors and what each answers: the HTTP status, the JSON
 * `error` code and the CLI's exit code. The server is a product of its own
 * (it runs on a team's machine, not beside a runtime), so its table is here,
 * complete by type as the overlay's is (`packages/opencode/src/errors/table.ts`).
 */
import * as Data from "effect/Data"

export class ShareNotFound extends Data.TaggedError("ShareNotFound")<{ readonly id: string }> {
  override get message() {
    return `No share ${this.id} here (never published, taken down, or expired).`
  }
}

export class WrongSecret extends Data.TaggedError("WrongSecret")<{ readonly id: string }> {
  override get message() {
    return `The secret does not match share ${this.id}.`
  }
}

export class BadInput extends Data.TaggedError("BadInput")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

export class NotMember extends Data.TaggedError("NotMember")<{ readonly why: string }> {
  override get message() {
    return this.why
  }
}

export class NotAdmin extends Data.TaggedError("NotAdmin")<{ readonly member: string }> {
  override get message() {
    return `${this.member} is not one of this server's administrators (--admin).`
  }
}

export class RateLimited extends Data.TaggedError("RateLimited")<{ readonly retryAfter: number }> {
  override get message() {
    return `Too many requests: try again in ${this.retryAfter} s.`
  }
}

/** The database failed; `problem` is for the server's own log and its administrators, never sent to a client. */
export class StoreFailed extends Data.TaggedError("StoreFailed")<{ readonly problem: string }> {
  override get message() {
    return `The share database cannot be used: ${this.problem}`
  }
}

export class QuotaExceeded extends Data.TaggedError("QuotaExceeded")<{ readonly id: string; readonly limit: number }> {
  override get message() {
    return `Share ${this.id} would hold more than this server keeps for one share (${this.limit} bytes): nothing of this sync was stored.`
  }
}

export type ServerError = ShareNotFound | WrongSecret | BadInput | NotMember | NotAdmin | RateLimited | QuotaExceeded | StoreFailed

type Row = { readonly status: 400 | 401 | 403 | 404 | 413 | 429 | 500; readonly code: string; readonly exit: number }

export const ERROR_TABLE: { readonly [K in ServerError["_tag"]]: Row } = {
  ShareNotFound: { status: 404, code: "share_not_found", exit: 1 },
  WrongSecret: { status: 403, code: "wrong_secret", exit: 2 },
  BadInput: { status: 400, code: "bad_input", exit: 2 },
  NotMember: { status: 401, code: "not_member", exit: 2 },
  NotAdmin: { status: 403, code: "not_admin", exit: 2 },
  RateLimited: { status: 429, code: "rate_limited", exit: 1 },
  QuotaExceeded: { status: 413, code: "share_quota", exit: 1 },
  StoreFailed: { status: 500, code: "store_failed", exit: 3 },
}

export const rowOf = (error: ServerError): Row => ERROR_TABLE[error._tag]
