/**
 * Reading a child's output until it says something: what every test that
 * starts a server (and waits for the line naming its address) does.
 */
export type ReadUntil = {
  /** The match, or undefined when the stream ended or the time ran out first. */
  readonly match: RegExpExecArray | undefined
  /** Everything read so far. */
  readonly seen: string
  /** Why there is no match: the stream ended, or `timeoutMs` passed. */
  readonly why?: "ended" | "late"
}

export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp, timeoutMs = 30_000): Promise<ReadUntil> {
  const deadline = Date.now() + timeoutMs
  const decoder = new TextDecoder()
  let seen = ""
  for (;;) {
    const match = pattern.exec(seen)
    if (match) return { match, seen }
    const next = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => "late" as const)])
    if (next === "late") return { match: undefined, seen, why: "late" }
    if (next.done) return { match: undefined, seen, why: "ended" }
    seen += decoder.decode(next.value, { stream: true })
  }
}

/** Keeps reading a stream to its end, so that its writer never blocks on a full pipe. */
export function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read());
  })()
}
