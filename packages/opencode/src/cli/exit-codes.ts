/** Exit codes of the overlay's own commands. */
export const ExitCode = {
  ok: 0,
  /** A session (or other named thing) does not exist. */
  notFound: 1,
  usage: 2,
  /** Writing an output was refused (exists, read-only folder) or failed. */
  writeFailed: 3,
  /** Sharing is disabled by policy; the request was refused. */
  shareRefused: 4,
  /** The runtime could not be started or did not do what was asked. */
  runtimeFailed: 5,
} as const
