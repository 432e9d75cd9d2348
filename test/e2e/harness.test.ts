import { describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync } from "node:fs"
import { createSandbox, RUNTIME } from "../support/sandbox.ts"
import { turn } from "../support/mock-llm.ts"

// The runtime boots in seconds on 2 cores; bun applies a default timeout per file.
setDefaultTimeout(120_000)

type PartRow = { data: string }

describe("harness: a real session through the overlay", () => {
  test("opencode run stores a completed bash tool call with the command's real output", async () => {
    const sandbox = await createSandbox()
    try {
      // The output is computed by the shell, not by the mock: only a real tool run can produce it.
      const result = await sandbox.prompt("compute the answer", [
        turn.bash("printf 'harness-%s\\n' $((6*7))", "Compute the answer"),
        turn.text("The answer is 42."),
      ])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("The answer is 42.")
      expect(result.sessionIDs).toHaveLength(1)

      const db = sandbox.database()
      const parts = db
        .query<PartRow, [string]>("select data from part where session_id = ? order by id")
        .all(result.sessionIDs[0]!)
        .map((r) => JSON.parse(r.data))
      db.close()
      const bash = parts.find((p) => p.type === "tool" && p.tool === "bash")
      expect(bash?.state.status).toBe("completed")
      expect(bash?.state.input.command).toBe("printf 'harness-%s\\n' $((6*7))")
      expect(bash?.state.output).toBe("harness-42\n")
      // The runtime sent that output back to the model in its next turn.
      expect(JSON.stringify(sandbox.llm.requests.at(-1)?.messages)).toContain("harness-42")
      expect(sandbox.capture.requests).toHaveLength(0)
    } finally {
      await sandbox.dispose()
    }
    expect(existsSync(sandbox.root)).toBe(false)
    expect(sandbox.livePids()).toEqual([])
  })

  test("a scripted provider error reaches the session as an assistant error", async () => {
    await using sandbox = await createSandbox()
    // The runtime retries a failing provider five times before it records the error.
    const result = await sandbox.prompt("fail please", [turn.httpError(500, "mock provider exploded", 10)])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("mock provider exploded")
    expect(result.sessionIDs).toHaveLength(1)
    const db = sandbox.database()
    const messages = db
      .query<{ data: string }, [string]>("select data from message where session_id = ? order by id")
      .all(result.sessionIDs[0]!)
      .map((r) => JSON.parse(r.data))
    db.close()
    const assistant = messages.find((m) => m.role === "assistant")
    expect(JSON.stringify(assistant?.error)).toContain("mock provider exploded")
  })
})

describe("passthrough: commands the overlay does not own behave like the runtime's", () => {
  test("--version names the overlay and the pinned runtime, one line each", async () => {
    await using sandbox = await createSandbox()
    const result = await sandbox.run(["--version"])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`opencode-local-overlay 0.1.0\nopencode-ai runtime ${RUNTIME.version}\n`)
    expect(RUNTIME.version).toBe("1.18.33")
  })

  test("--help shows the overlay's commands above the runtime's", async () => {
    await using sandbox = await createSandbox()
    const result = await sandbox.run(["--help"])
    expect(result.code).toBe(0)
    const overlay = result.stderr.indexOf("Overlay commands:")
    const runtime = result.stderr.indexOf("opencode run [message..]")
    expect(overlay).toBeGreaterThanOrEqual(0)
    expect(runtime).toBeGreaterThan(overlay)
  })

  test("models --help: same bytes and exit code as the runtime's own", async () => {
    await using sandbox = await createSandbox()
    const [overlay, bare] = await Promise.all([
      sandbox.run(["models", "--help"]),
      sandbox.run(["models", "--help"], { via: "bare" }),
    ])
    expect(overlay).toEqual(bare)
    expect(overlay.stderr).toContain("list all available models")
  })

  test("run -m mock/mock-model hi: same output and exit code as the runtime's own", async () => {
    await using sandbox = await createSandbox()
    const overlay = await sandbox.prompt("hi", [turn.text("Hello from the mock.")])
    const bare = await sandbox.prompt("hi", [turn.text("Hello from the mock.")], { via: "bare" })
    expect(overlay.code).toBe(0)
    expect(overlay.code).toBe(bare.code)
    expect(overlay.stdout).toBe(bare.stdout)
    expect(overlay.sessionIDs).toHaveLength(1)
    expect(bare.sessionIDs).toHaveLength(1)
  })

  test("a failing runtime command exits with the runtime's own code", async () => {
    await using sandbox = await createSandbox()
    const args = ["run", "-m", "nosuch/model", "hi"]
    const [overlay, bare] = await Promise.all([sandbox.run(args), sandbox.run(args, { via: "bare" })])
    expect(bare.code).not.toBe(0)
    expect(overlay.code).toBe(bare.code)
  })

  test("a signal sent to the overlay reaches the runtime, and nothing is left running", async () => {
    await using sandbox = await createSandbox()
    // The provider keeps the runtime waiting, so `run` is still going when the signal comes.
    sandbox.llm.script(turn.stall(60_000))
    const run = sandbox.spawn(["run", "-m", "mock/mock-model", "wait for me"])
    const deadline = Date.now() + 60_000
    while (sandbox.llm.requests.filter((r) => r.hasTools).length === 0 && Date.now() < deadline) await Bun.sleep(100)
    expect(sandbox.livePids().length).toBeGreaterThanOrEqual(2) // overlay (bun) and runtime
    run.kill("SIGTERM") // to the overlay's pid only, as a supervisor would
    await run.exited
    await waitUntil(() => sandbox.livePids().length === 0, 10_000)
    expect(sandbox.livePids()).toEqual([])
  })

})

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!done() && Date.now() < deadline) await Bun.sleep(100)
}
