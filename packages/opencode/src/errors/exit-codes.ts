/** Exit codes of the overlay's own commands; `table.ts` says which error ends with which. */
export const ExitCode = {
  ok: 0,
  /** A session, a publication, or the database or server to read them from does not exist or cannot be read. */
  notFound: 1,
  usage: 2,
  /** Writing an output was refused (exists, read-only folder) or failed; nothing was left half-written. */
  writeFailed: 3,
  /** Sharing is disabled by policy; the request was refused. */
  shareRefused: 4,
  /** The runtime could not be started, or did not do what was asked (it answered with an error, or not at all). */
  runtimeFailed: 5,
  /** The pinned runtime is not installed (the shell's code for a missing command). */
  runtimeMissing: 127,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
