import type { ExitStatus } from "../runtime/service.ts"

/** Ends this process the way the runtime ended: same code, or same signal. */
export function exitLike(status: ExitStatus): never {
  if ("code" in status) process.exit(status.code)
  process.removeAllListeners(status.signal)
  process.kill(process.pid, status.signal)
  // Not reached where the signal is fatal; the shell's convention otherwise.
  process.exit(128 + (signalNumber[status.signal] ?? 1))
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGTERM: 15,
}
