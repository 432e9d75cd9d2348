import { afterAll, describe, expect, test } from "bun:test"
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { OVERLAY_BIN, OverlayCli } from "../../src/session-command/overlay-cli.ts"

const dir = mkdtempSync(join(tmpdir(), "overlay-cli-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function script(name: string, body: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

const runWith = (bin: string, args: ReadonlyArray<string>, timeoutMs?: number) =>
  Effect.runPromise(
    Effect.result(
      Effect.provide(
        Effect.gen(function* () {
          const cli = yield* OverlayCli
          return yield* cli.run("export", args, { cwd: dir, ...(timeoutMs ? { timeoutMs } : {}) })
        }),
        OverlayCli.layer(bin, { PATH: process.env.PATH, MARK: "from-layer" }),
      ),
    ),
  )

describe("OverlayCli", () => {
  test("points at the overlay's own executable", () => {
    expect(OVERLAY_BIN.endsWith("/packages/opencode/bin/opencode")).toBe(true)
    expect(existsSync(OVERLAY_BIN)).toBe(true)
  })

  test("runs the executable with the arguments, in the folder and environment given; reports code and output", async () => {
    const bin = script("echo.sh", 'echo "args:$*"; echo "cwd:$(pwd) mark:$MARK"; echo oops >&2; exit 3')
    const result = await runWith(bin, ["export", "ses 1", "--force"])
    expect(result).toMatchObject({
      _tag: "Success",
      success: { code: 3, stdout: `args:export ses 1 --force\ncwd:${dir} mark:from-layer\n`, stderr: "oops\n" },
    })
  })

  test("stdin is closed: a command that reads it sees end of input at once", async () => {
    const bin = script("stdin.sh", "cat; echo done")
    expect(await runWith(bin, [])).toMatchObject({ _tag: "Success", success: { code: 0, stdout: "done\n" } })
  })

  test("an executable that cannot be started is a CommandFailed, not a defect", async () => {
    const result = await runWith(join(dir, "missing"), [])
    expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "CommandFailed", outcome: { exit: 5, status: 502, code: "runtime_failed" } } })
  })

  test("a command that hangs is stopped after the timeout", async () => {
    const bin = script("hang.sh", "exec sleep 30")
    const started = Date.now()
    const result = await runWith(bin, [], 300)
    expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "CommandFailed", outcome: { exit: 5, status: 502, code: "runtime_failed" } } })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test("interrupting the effect stops the subprocess", async () => {
    const marker = join(dir, "pid")
    const bin = script("pid.sh", `echo $$ > ${marker}; exec sleep 30`)
    const fiber = Effect.runFork(
      Effect.provide(
        Effect.gen(function* () {
          const cli = yield* OverlayCli
          return yield* cli.run("export", [], { cwd: dir })
        }),
        OverlayCli.layer(bin),
      ),
    )
    // The shell creates the file before it writes its pid into it: wait for the pid itself (read early, the empty
    // file gave pid 0, and kill(0, 0) reached this test's own process group: "alive" for good, seen in CI).
    const pidIn = async () => (existsSync(marker) ? /^(\d+)\s*$/.exec(await Bun.file(marker).text())?.[1] : undefined)
    for (let i = 0; i < 100 && !(await pidIn()); i++) await Bun.sleep(50)
    const pid = Number(await pidIn())
    expect(pid).toBeGreaterThan(1)
    await Effect.runPromise(Fiber.interrupt(fiber))
    let alive = true
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(pid, 0)
        await Bun.sleep(50)
      } catch {
        alive = false
      }
    }
    expect(alive).toBe(false)
  })
})
