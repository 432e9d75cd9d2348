import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { ExportWriter, type WriteOptions } from "../../src/export/write/writer.ts"

const root = mkdtempSync(join(tmpdir(), "export-writer-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let n = 0
const folder = () => {
  const dir = join(root, `case-${++n}`)
  mkdirSync(dir)
  return dir
}

async function* chunks(...parts: string[]) {
  for (const p of parts) yield p
}

async function* failing() {
  yield "half of it"
  throw new Error("disk image went away")
}

const write = (path: string, body: AsyncIterable<string>, options: WriteOptions) =>
  Effect.runPromise(
    Effect.result(
      Effect.gen(function* () {
        const writer = yield* ExportWriter
        return yield* writer.write(path, body, options)
      }).pipe(Effect.provide(ExportWriter.layer)),
    ),
  )

describe("atomic writer", () => {
  // Ctrl-C reaches an export as an interruption from the entry point (the writer installs no
  // signal handlers and never exits the process): the temporary files go with the write's scope.
  for (const header of [false, true])
    test(`interrupted while writing${header ? " a body that waits for its header" : ""}: no temporary file is left`, async () => {
      const dir = folder()
      let writing!: () => void
      const started = new Promise<void>((resolve) => (writing = resolve))
      async function* stalled() {
        yield "x".repeat(200_000)
        writing()
        await new Promise(() => {}) // the source never ends, like a huge session being read
      }
      const fiber = Effect.runFork(
        Effect.gen(function* () {
          const writer = yield* ExportWriter
          return yield* writer.write(join(dir, "out.md"), stalled(), { force: false, ...(header ? { header: () => "# h\n" } : {}) })
        }).pipe(Effect.provide(ExportWriter.layer)),
      )
      await started
      expect(readdirSync(dir)).toHaveLength(1) // the temporary file being written: what a leftover would look like
      await Effect.runPromise(Fiber.interrupt(fiber))
      expect(readdirSync(dir)).toEqual([])
    })

  test("writes the whole file and nothing else", async () => {
    const dir = folder()
    const path = join(dir, "out.md")
    const result = await write(path, chunks("a", "b".repeat(100_000), "c"), { force: false })
    expect(result._tag).toBe("Success")
    expect(readFileSync(path, "utf8")).toBe(`a${"b".repeat(100_000)}c`)
    expect(readdirSync(dir)).toEqual(["out.md"])
  })

  test("a header known only at the end goes first", async () => {
    const dir = folder()
    const path = join(dir, "out.md")
    let count = 0
    async function* body() {
      for (const line of ["one\n", "two\n"]) {
        count++
        yield line
      }
    }
    const result = await write(path, body(), { force: false, header: () => `# ${count} lines\n` })
    expect(result).toMatchObject({ _tag: "Success", success: { path, bytes: 18 } })
    expect(readFileSync(path, "utf8")).toBe("# 2 lines\none\ntwo\n")
    expect(readdirSync(dir)).toEqual(["out.md"])
  })

  test("an existing file is refused and kept as it was, unless forced", async () => {
    const dir = folder()
    const path = join(dir, "out.md")
    writeFileSync(path, "precious")
    const refused = await write(path, chunks("new"), { force: false })
    expect(refused).toMatchObject({ _tag: "Failure", failure: { _tag: "OutputExists", path } })
    expect(readFileSync(path, "utf8")).toBe("precious")
    const forced = await write(path, chunks("new"), { force: true })
    expect(forced._tag).toBe("Success")
    expect(readFileSync(path, "utf8")).toBe("new")
    expect(readdirSync(dir)).toEqual(["out.md"])
  })

  test("a source failing half-way leaves nothing behind", async () => {
    const dir = folder()
    const result = await write(join(dir, "out.md"), failing(), { force: false })
    expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "SourceUnavailable" } })
    expect(readdirSync(dir)).toEqual([])
  })

  test("a folder that cannot hold the file is a write failure, with nothing written", async () => {
    const dir = folder()
    writeFileSync(join(dir, "file"), "x")
    const result = await write(join(dir, "file", "out.md"), chunks("x"), { force: false })
    expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "WriteFailed" } })
    if (result._tag === "Failure") expect(result.failure.message).toContain("is not a folder")
    expect(readdirSync(dir)).toEqual(["file"])
  })
})
