/**
 * Writing an export: atomically, or to stdout.
 *
 * A file is written under a temporary name in the same folder, flushed to
 * disk, then published in one step: without `--force` by a hard link, which
 * the file system refuses when the name exists (so a file that appeared
 * meanwhile is never replaced), with `--force` by a rename over it. Whatever
 * fails, and when interrupted (Ctrl-C), the temporary files are removed: there
 * is either the whole new file or nothing new.
 *
 * A document whose beginning is known only at its end (the Markdown header
 * counts what the body showed) is written body first to a second temporary
 * file, then copied behind its header.
 */
import { closeSync, fstatSync, fsyncSync, linkSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { OutputExists, SourceUnavailable, WriteFailed } from "../document/errors.ts"

export type Written = { readonly path: string; readonly bytes: number }

export type WriteOptions = {
  readonly force: boolean
  /** Text that goes before the chunks, known once they have all been read. */
  readonly header?: () => string
}

/** Small chunks are gathered up to this many characters; bigger ones are written as they are (joining them would copy them once more). */
const BUFFER_CHARS = 1 << 16

const reason = (cause: unknown): string => {
  const e = cause as NodeJS.ErrnoException
  switch (e?.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "EROFS":
      return "the file system is read-only"
    case "ENOENT":
      return "the folder does not exist"
    case "ENOTDIR":
      return "a part of the path is not a folder"
    case "EISDIR":
      return "it is a folder"
    case "ENOSPC":
      return "no space left on the device"
    case "EDQUOT":
      return "disk quota exceeded"
    default:
      return e instanceof Error ? e.message : String(cause)
  }
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

const check = (path: string, options: { readonly force: boolean }): Effect.Effect<void, OutputExists | WriteFailed> =>
  Effect.suspend((): Effect.Effect<void, OutputExists | WriteFailed> => {
    let info: ReturnType<typeof statSync> | undefined
    try {
      info = statSync(path)
    } catch {}
    if (info?.isDirectory()) return Effect.fail(new WriteFailed({ path, reason: "it is a folder" }))
    if (info && !options.force) return Effect.fail(new OutputExists({ path }))
    const dir = dirname(path)
    let dirInfo: ReturnType<typeof statSync>
    try {
      dirInfo = statSync(dir)
    } catch (cause) {
      return Effect.fail(new WriteFailed({ path, reason: `its folder ${dir} cannot be used (${reason(cause)})` }))
    }
    if (!dirInfo.isDirectory()) return Effect.fail(new WriteFailed({ path, reason: `${dir} is not a folder` }))
    return Effect.void
  })

/** A failure of the chunks' source, kept apart from write failures. */
class ReadError {
  constructor(readonly cause: unknown) {}
}

/** Pulls the chunks, batching small ones; returns the last batch instead of sinking it (maybe all of a small body). */
async function pump(chunks: AsyncIterable<string>, sink: (text: string) => Promise<void> | void, signal?: AbortSignal): Promise<string> {
  let buffer: string[] = []
  let size = 0
  const flush = async () => {
    const text = buffer.join("")
    buffer = []
    size = 0
    await sink(text)
  }
  const iterator = chunks[Symbol.asyncIterator]()
  try {
    while (true) {
      let next: IteratorResult<string>
      try {
        next = await iterator.next()
      } catch (cause) {
        throw new ReadError(cause)
      }
      if (next.done) break
      if (signal?.aborted) throw new Error("interrupted")
      if (next.value.length >= BUFFER_CHARS) {
        if (size > 0) await flush()
        await sink(next.value)
        continue
      }
      buffer.push(next.value)
      size += next.value.length
      if (size >= BUFFER_CHARS) await flush()
    }
  } finally {
    await iterator.return?.()
  }
  return buffer.join("")
}

/**
 * A body that waits for its header: held in memory while it fits one batch, else written to a temporary
 * file made on the first full batch. `rest` is what is still in memory (all of a small body).
 */
async function setAside(
  chunks: AsyncIterable<string>,
  temp: () => Temp,
  signal: AbortSignal,
): Promise<{ readonly file?: Temp; readonly rest: string }> {
  let file: Temp | undefined
  const rest = await pump(chunks, (text) => (file ??= temp()).write(text), signal)
  return file ? { file, rest } : { rest }
}

/** A temporary file, removed unless kept. */
class Temp {
  fd: number | undefined
  private kept = false
  constructor(readonly path: string) {
    // Like any new file: 0666 less the umask.
    this.fd = openSync(path, "wx", 0o666)
  }
  static near(target: string, tag: string): Temp {
    return new Temp(join(dirname(target), `.${basename(target)}.${tag}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`))
  }
  write(text: string) {
    writeSync(this.fd!, text)
  }
  /** Appends another temporary file's content. */
  append(other: Temp) {
    const buffer = Buffer.allocUnsafe(1 << 20)
    const from = openSync(other.path, "r")
    try {
      let position = 0
      while (true) {
        const n = readSync(from, buffer, 0, buffer.length, position)
        if (n === 0) break
        let done = 0
        while (done < n) done += writeSync(this.fd!, buffer, done, n - done)
        position += n
      }
    } finally {
      closeSync(from)
    }
  }
  /** Flushes to disk and closes; the file stays until `keep` or `remove`. Returns its size. */
  finish(): number {
    fsyncSync(this.fd!)
    const size = fstatSync(this.fd!).size
    closeSync(this.fd!)
    this.fd = undefined
    return size
  }
  keep() {
    this.kept = true
  }
  remove() {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd)
      } catch {}
      this.fd = undefined
    }
    if (!this.kept) {
      try {
        unlinkSync(this.path)
      } catch {}
    }
  }
}

/**
 * The temporary files of one write, removed when its scope closes: done,
 * failed, or interrupted (Ctrl-C reaches an export as an interruption from the
 * entry point, which waits for this before the process ends). A file made
 * after the scope closed (the interrupted work still running) is removed at once.
 */
class Temps {
  private readonly temps: Temp[] = []
  private closed = false
  readonly track = (temp: Temp): Temp => {
    if (this.closed) {
      temp.remove()
      throw new Error("interrupted")
    }
    this.temps.push(temp)
    return temp
  }
  close(): void {
    this.closed = true
    for (const temp of this.temps) temp.remove()
  }
}

const temps = Effect.acquireRelease(
  Effect.sync(() => new Temps()),
  (set) => Effect.sync(() => set.close()),
)

const mapError = (path: string) => (cause: unknown) => {
  if (cause instanceof OutputExists || cause instanceof WriteFailed) return cause
  if (cause instanceof ReadError)
    return new SourceUnavailable({ message: `Reading the session failed: ${reason(cause.cause)}. Nothing was written.` })
  return new WriteFailed({ path, reason: reason(cause) })
}

const write = (
  path: string,
  chunks: AsyncIterable<string>,
  options: WriteOptions,
): Effect.Effect<Written, OutputExists | WriteFailed | SourceUnavailable> =>
  check(path, options).pipe(
    Effect.andThen(temps),
    Effect.flatMap(({ track }) =>
      Effect.tryPromise({
        try: async (signal) => {
          const io = <A>(f: () => A): A => {
            try {
              return f()
            } catch (cause) {
              throw new WriteFailed({ path, reason: reason(cause) })
            }
          }
          const { file, rest } = await setAside(chunks, () => io(() => track(Temp.near(path, options.header ? "body" : "new"))), signal)
          let result: Temp
          if (file === undefined) {
            // The whole body is in memory: one file, header first (most sessions; an export of many pays once per file).
            const whole = io(() => track(Temp.near(path, "new")))
            io(() => whole.write((options.header?.() ?? "") + rest))
            result = whole
          } else {
            io(() => file.write(rest))
            result = file
            if (options.header) {
              const header = options.header()
              const whole = io(() => track(Temp.near(path, "new")))
              io(() => whole.write(header))
              io(() => whole.append(file))
              result = whole
            }
          }
          const bytes = io(() => result.finish())
          publish(result.path, path, options.force)
          result.keep()
          return { path, bytes }
        },
        catch: mapError(path),
      }),
    ),
    Effect.scoped,
  )

/** Moves the finished temporary file to its name (see the module comment). */
function publish(temp: string, path: string, force: boolean): void {
  if (force) {
    try {
      renameSync(temp, path)
      return
    } catch (cause) {
      throw new WriteFailed({ path, reason: reason(cause) })
    }
  }
  try {
    linkSync(temp, path)
    unlinkSync(temp)
    return
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (code === "EEXIST") throw new OutputExists({ path })
    // File systems without hard links: check, then rename (a narrow race instead of none).
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS")
      throw new WriteFailed({ path, reason: reason(cause) })
  }
  if (exists(path)) throw new OutputExists({ path })
  try {
    renameSync(temp, path)
  } catch (cause) {
    throw new WriteFailed({ path, reason: reason(cause) })
  }
}

const toStdout = (text: string | Uint8Array) =>
  new Promise<void>((resolve, reject) => {
    const ok = process.stdout.write(text, (error) => (error ? reject(error) : undefined))
    if (ok) resolve()
    else process.stdout.once("drain", () => resolve())
  })

/** The reader went away (`| head`): it has what it wanted; stop without an error. */
function quietWhenClosed(cause: unknown): void {
  if ((cause as NodeJS.ErrnoException)?.code !== "EPIPE") throw cause
}

const stdout = (chunks: AsyncIterable<string>, header?: () => string): Effect.Effect<number, WriteFailed | SourceUnavailable> =>
  Effect.scoped(
    Effect.flatMap(temps, ({ track }) =>
      Effect.tryPromise({
        try: async (signal) => {
          let bytes = 0
          const counted = (text: string) => {
            bytes += Buffer.byteLength(text)
            return toStdout(text)
          }
          if (header === undefined) {
            await pump(chunks, counted, signal)
              .then((rest) => counted(rest))
              .catch(quietWhenClosed)
            return bytes
          }
          // The body waits (in memory while small, else in a temporary file) until the header is known.
          const { file, rest } = await setAside(chunks, () => track(Temp.near(join(tmpdir(), "opencode-export"), "body")), signal)
          if (file === undefined) {
            await counted(header() + rest).catch(quietWhenClosed)
            return bytes
          }
          file.write(rest)
          file.finish()
          const reader = openSync(file.path, "r")
          try {
            await counted(header())
            const buffer = Buffer.allocUnsafe(1 << 20)
            for (let n = readSync(reader, buffer); n > 0; n = readSync(reader, buffer)) {
              await toStdout(Buffer.from(buffer.subarray(0, n)))
              bytes += n
            }
          } catch (cause) {
            quietWhenClosed(cause)
          } finally {
            closeSync(reader)
          }
          return bytes
        },
        catch: (cause) =>
          cause instanceof ReadError
            ? new SourceUnavailable({ message: `Reading the session failed: ${reason(cause.cause)}.` })
            : new WriteFailed({ path: "stdout", reason: reason(cause) }),
      }),
    ),
  )

export class ExportWriter extends Context.Service<
  ExportWriter,
  {
    /** Refuses early, before any work, when `path` exists (without force) or its folder is not one. */
    readonly check: (path: string, options: { readonly force: boolean }) => Effect.Effect<void, OutputExists | WriteFailed>
    /** Writes `chunks` (after `header`, if given) to `path` atomically. A failure reading the chunks is a `SourceUnavailable`. */
    readonly write: (
      path: string,
      chunks: AsyncIterable<string>,
      options: WriteOptions,
    ) => Effect.Effect<Written, OutputExists | WriteFailed | SourceUnavailable>
    /** Writes `chunks` (after `header`, if given) to stdout, waiting for the reader. */
    readonly stdout: (chunks: AsyncIterable<string>, header?: () => string) => Effect.Effect<number, WriteFailed | SourceUnavailable>
  }
>()("overlay/ExportWriter") {
  static readonly layer = Layer.succeed(ExportWriter, ExportWriter.of({ check, write, stdout }))
}
