/**
 * Who writes an update into the index: the update's own connection, or a
 * writer thread with a connection of its own. FTS5 cutting texts into words
 * and merging its segments is more than half of a first index (2.4 of 4.3 s
 * on the benchmark's L database); on a thread it runs while the update reads
 * and redacts the next texts, on the other core. A thread costs about 40 ms
 * to start, so small updates (a new turn) write on their own connection.
 *
 * Either way a session's writes are one transaction (`begin immediate`: two
 * searches updating at once take turns), committed or rolled back whole; the
 * update never has more than a few batches on their way, so memory stays flat.
 */
import type { Database } from "bun:sqlite"
import { BUNDLED, packageFile } from "../package-files.ts"
import { applyWrite, BUSY_WAIT, writeStatements, type Write } from "./index-writes.ts"

/** Another process is writing the index and did not finish within the busy timeout. */
export class IndexBusy extends Error {}
export const isBusy = (cause: unknown) => cause instanceof Error && "code" in cause && String(cause.code).startsWith("SQLITE_BUSY")

export interface IndexWriter {
  /** Starts a transaction; `IndexBusy` when another process held the index past the wait. */
  readonly begin: () => Promise<void>
  /** Writes inside the transaction; resolves once there is room for more (a failure surfaces here or at commit). */
  readonly write: (writes: ReadonlyArray<Write>) => Promise<void>
  readonly commit: () => Promise<void>
  /** Ends the transaction without its writes (also after a failed write). */
  readonly rollback: () => Promise<void>
  readonly close: () => Promise<void>
}

/** The writes run at once on `index`, the update's own connection. */
export function inlineWriter(index: Database): IndexWriter {
  const statements = writeStatements(index)
  return {
    begin: async () => {
      try {
        index.exec("BEGIN IMMEDIATE")
      } catch (cause) {
        throw isBusy(cause) ? new IndexBusy() : cause
      }
    },
    write: async (writes) => {
      for (const w of writes) applyWrite(statements, w)
    },
    commit: async () => {
      index.exec("COMMIT")
    },
    rollback: async () => {
      if (index.inTransaction) index.exec("ROLLBACK")
    },
    close: async () => statements.finalize(),
  }
}

export type WriterCommand =
  | { readonly kind: "open"; readonly path: string; readonly busyWait: number }
  | { readonly kind: "begin" | "commit" | "rollback" | "close" }
  | { readonly kind: "write"; readonly writes: ReadonlyArray<Write> }

/** A command to the thread, numbered; its reply has the same number. */
export type WriterRequest = WriterCommand & { readonly seq: number }

export type WriterReply = { readonly seq: number; readonly error?: string; readonly busy?: boolean }

/** Batches on their way to the thread before `write` waits for the oldest: with the update's batches of at most 4 MB, a bound on memory. */
const IN_FLIGHT = 4

const WORKER = BUNDLED ? packageFile("dist", "history", "index-writer-worker.js") : new URL("./index-writer-worker.ts", import.meta.url).href

/**
 * A writer thread with its own connection to `index`'s file, which waits for other writers as long as `index`
 * does; rejects if it cannot open it.
 */
export async function threadWriter(index: Database): Promise<IndexWriter> {
  const busyWait = index.query<{ timeout: number }, []>("pragma busy_timeout").get()?.timeout ?? BUSY_WAIT
  const worker = new Worker(WORKER)
  // Bun's Worker: never keeps the process alive on its own.
  ;(worker as unknown as { unref(): void }).unref()
  const pending = new Map<number, { resolve: () => void; reject: (cause: Error) => void }>()
  let stopped: Error | undefined
  let seq = 0
  const stop = (cause: Error) => {
    stopped ??= cause
    for (const p of pending.values()) p.reject(cause)
    pending.clear()
  }
  worker.onmessage = (event: MessageEvent<WriterReply>) => {
    const { seq: at, error, busy } = event.data
    const p = pending.get(at)
    if (!p) return
    pending.delete(at)
    if (busy) p.reject(new IndexBusy())
    else if (error !== undefined) p.reject(new Error(error))
    else p.resolve()
  }
  worker.onerror = (event) => stop(new Error(`the index writer thread stopped: ${event.message}`))
  const request = (command: WriterCommand): Promise<void> => {
    if (stopped) return Promise.reject(stopped)
    const at = ++seq
    const answer = new Promise<void>((resolve, reject) => pending.set(at, { resolve, reject }))
    worker.postMessage({ ...command, seq: at } satisfies WriterRequest)
    return answer
  }

  /** Writes sent, not yet answered: each one's failure is kept (handled) until it is awaited. */
  let inFlight: Array<Promise<void>> = []
  const settle = async () => {
    const all = inFlight
    inFlight = []
    await Promise.all(all)
  }
  try {
    await request({ kind: "open", path: index.filename, busyWait })
  } catch (cause) {
    worker.terminate()
    throw cause
  }
  return {
    begin: () => request({ kind: "begin" }),
    write: async (writes) => {
      const sent = request({ kind: "write", writes })
      sent.catch(() => {})
      inFlight.push(sent)
      if (inFlight.length > IN_FLIGHT) await inFlight.shift()
    },
    commit: async () => {
      await settle()
      await request({ kind: "commit" })
    },
    rollback: async () => {
      await settle().catch(() => {})
      await request({ kind: "rollback" })
    },
    close: async () => {
      await settle().catch(() => {})
      // The thread closes its connection (the last one checkpoints the log) and ends.
      await request({ kind: "close" }).catch(() => {})
    },
  }
}
