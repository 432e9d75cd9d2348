/**
 * Prescanning a big session on a second core, for a redacted export.
 * Screening every part's JSON for secrets, payloads and the home directory
 * is a third of such an export's work where most parts need nothing (prose);
 * a worker thread does it alongside, and the export then skips the screen
 * for the parts it cleared. Without redaction the screen is cheap, and where
 * most parts need sanitizing the export does them all the same: there the
 * worker only slowed the export down (it takes the core the engine's compiler
 * and collector run on), and none is started. The export never waits for it: a message
 * the worker has not reached yet (at first, while it starts, about 40 ms) is
 * screened inline, and the worker's late verdict on it is dropped.
 *
 * The worker reads through its own connection, so it may see a newer
 * snapshot than the export if the runtime writes meanwhile. Its verdict on a
 * message is used only when it saw the same parts (count and total length);
 * otherwise the export screens that message itself. A failed or slow worker
 * never changes the result, only the speed.
 */
import { screen, type Screen } from "../screen/screen.ts"
import { BUNDLED, packageFile } from "../../package-files.ts"

export type PrescanRequest = { readonly path: string; readonly sessionID: string; readonly checks: Screen }

export type PrescanVerdict = {
  readonly message: string
  readonly parts: number
  /** Total length (in UTF-16 code units) of the parts' stored JSON text. */
  readonly chars: number
  /** Parts whose JSON needs sanitizing. */
  readonly dirty: ReadonlyArray<string>
}

type Report = { readonly verdicts: ReadonlyArray<PrescanVerdict>; readonly done?: boolean; readonly error?: string }

export type Prescan = {
  /**
   * The verdict on a message if the worker got to it, after one turn of the event loop at most (its
   * reports arrive only then); else undefined, and a later one is dropped.
   */
  readonly verdict: (messageID: string) => Promise<PrescanVerdict | undefined>
  readonly stop: () => void
}

/**
 * Sessions with fewer parts than this are screened inline (a worker costs about 50 ms to start). At 20,000
 * the benchmark's M session (19,784 parts in its root) just missed the worker; with it, its export took
 * about 0.37 s instead of 0.49 s on 2 cores.
 */
export const PRESCAN_MIN_PARTS = 10_000

/**
 * A session whose sampled parts the screen mostly does not clear gets no worker: where most parts need
 * sanitizing (code-like tool output names tokens and keys on most lines), the export sanitizes them all the
 * same, and the worker only takes the core the engine's compiler and collector run on (the benchmark's
 * code-like M session, 19% of it clear: 441 ms with the worker, 380 ms without). This many parts are read.
 */
export const PRESCAN_SAMPLE_PARTS = 300

/** Would screening `sample` (parts' JSON) ahead pay? Yes where the screen clears at least half of it. */
export function worthPrescanning(sample: ReadonlyArray<string>, checks: Screen): boolean {
  let total = 0
  let cleared = 0
  for (const json of sample) {
    total += json.length
    if (!screen(json, checks)) cleared += json.length
  }
  return cleared * 2 >= total
}

/** The worker's module: built next to the bundle, or the source file. */
const WORKER = BUNDLED ? packageFile("dist", "export", "read", "prescan-worker.js") : new URL("./prescan-worker.ts", import.meta.url).href

export function startPrescan(request: PrescanRequest): Prescan {
  const verdicts = new Map<string, PrescanVerdict>()
  /** Messages the export asked about before their verdict came (screened inline). */
  const passed = new Set<string>()
  let done = false
  const finish = () => {
    done = true
    passed.clear()
  }
  let worker: Worker | undefined
  try {
    worker = new Worker(WORKER)
    // Bun's Worker: never keeps the process alive on its own.
    ;(worker as unknown as { unref(): void }).unref()
    worker.onmessage = (event: MessageEvent<Report>) => {
      if (done) return
      // In order: a verdict is dropped if the export already screened that message itself.
      for (const v of event.data.verdicts) {
        if (!passed.delete(v.message)) verdicts.set(v.message, v)
      }
      if (event.data.done) finish()
    }
    worker.onerror = () => finish()
    worker.postMessage(request)
  } catch {
    finish()
  }
  return {
    verdict: async (messageID) => {
      const take = () => {
        const v = verdicts.get(messageID)
        if (v) verdicts.delete(messageID)
        return v
      }
      const v = take() ?? (done ? undefined : (await new Promise((resolve) => setImmediate(resolve)), take()))
      if (!v && !done) passed.add(messageID)
      return v
    },
    stop: () => {
      // A worker that has reported everything has ended by itself; terminating it still cost about 25 ms.
      if (!done) worker?.terminate()
      finish()
      verdicts.clear()
    },
  }
}
