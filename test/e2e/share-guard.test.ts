/**
 * Leak tests: each scenario runs through the overlay and must send nothing to
 * the share host (the capture server, set as `enterprise.url`). Each has a
 * control that runs the same scenario on the bare runtime and must be seen
 * publishing, so a capture that sees nothing cannot make a test pass.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { GUARD_PLUGIN_PATH } from "../../packages/opencode/src/share/launch-env.ts"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox, type Via } from "../support/sandbox.ts"

// The runtime boots in seconds on 2 cores; bun applies a default timeout per file.
setDefaultTimeout(120_000)

const answer = () => [turn.text("Nothing to publish here.")]

/**
 * The runtime batches share syncs for a second: until a request past `before`
 * arrives (a leak, seen as soon as it happens: the controls end here), or for
 * `windowMs` (twice the batch and more) when none does.
 */
async function watchForRequests(sandbox: Sandbox, before: number, windowMs: number): Promise<void> {
  const deadline = Date.now() + windowMs
  while (sandbox.capture.requests.length <= before && Date.now() < deadline) await Bun.sleep(50)
}

/** Requests the capture server received while `work` ran. */
async function captured(sandbox: Sandbox, work: () => Promise<unknown>) {
  const before = sandbox.capture.requests.length
  await work()
  // The runtime batches share syncs for a second; a process that exited has sent all it will.
  return sandbox.capture.requests.slice(before)
}

async function scenario(
  setup: (sandbox: Sandbox) => void,
  act: (sandbox: Sandbox, via: Via) => Promise<{ code: number | null; stderr: string }>,
) {
  // The control and the overlay each in a home of their own (own mock LLM, own capture server), at once: the
  // runtime's start-up is mostly one core's work, and the two runs share nothing.
  const run = async (via: Via) => {
    const sandbox = await createSandbox()
    try {
      setup(sandbox)
      let outcome = { code: null as number | null, stderr: "" }
      const requests = await captured(sandbox, async () => {
        outcome = await act(sandbox, via)
      })
      return { ...outcome, requests: requests.length }
    } finally {
      await sandbox.dispose()
    }
  }
  // Both settled before the test goes on: a failing one does not leave the other running.
  const [bare, overlay] = await Promise.allSettled([run("bare"), run("overlay")])
  if (bare.status === "rejected") throw bare.reason
  if (overlay.status === "rejected") throw overlay.reason
  return { bare: bare.value, overlay: overlay.value } satisfies Record<Via, { code: number | null; stderr: string; requests: number }>
}

describe("share guard: nothing reaches the share host through the overlay", () => {
  test("no share setting anywhere: opencode run --share is refused before the runtime starts", async () => {
    const r = await scenario(
      () => {},
      (s, via) => s.prompt("hello", answer(), { via, args: ["--share"] }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.requests).toBe(0)
    expect(r.overlay.code).toBe(4)
    expect(r.overlay.stderr).toContain("Sharing is disabled (default)")
    expect(r.overlay.stderr).toContain("opencode export")
  })

  test("global config says auto, project silent: a new session is not published", async () => {
    const r = await scenario(
      (s) => s.writeGlobalConfig({ share: "auto" }),
      (s, via) => s.prompt("hello", answer(), { via }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(0)
    expect(r.overlay.requests).toBe(0)
  })

  test('project "disabled" with OPENCODE_CONFIG_CONTENT={"share":"auto"}', async () => {
    const r = await scenario(
      (s) => s.writeProjectConfig({ share: "disabled" }),
      (s, via) => s.prompt("hello", answer(), { via, env: { OPENCODE_CONFIG_CONTENT: '{"share":"auto"}' } }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(0)
    expect(r.overlay.requests).toBe(0)
    expect(r.overlay.stderr).toContain("ignored OPENCODE_CONFIG_CONTENT")
  })

  test('OPENCODE_AUTO_SHARE=1, project "disabled" or silent', async () => {
    // Control: the bare runtime publishes under OPENCODE_AUTO_SHARE=1 when the project is
    // silent. (With the project saying "disabled", bare 1.18.33 was seen not to publish.)
    await using sandbox = await createSandbox({ project: { share: "disabled" } })
    const [silent, disabled] = await Promise.all([
      scenario(
        () => {},
        (s, via) => s.prompt("hello", answer(), { via, env: { OPENCODE_AUTO_SHARE: "1" } }),
      ),
      sandbox.prompt("hello", answer(), { env: { OPENCODE_AUTO_SHARE: "1" } }),
    ])
    expect(silent.bare.requests).toBeGreaterThan(0)
    expect(silent.overlay.code).toBe(0)
    expect(silent.overlay.requests).toBe(0)
    expect(silent.overlay.stderr).toContain("ignored OPENCODE_AUTO_SHARE")
    expect(disabled.code).toBe(0)
    expect(sandbox.capture.requests).toHaveLength(0)
  })

  test('project "disabled" with .opencode/opencode.json saying "auto"', async () => {
    const r = await scenario(
      (s) => {
        s.writeProjectConfig({ share: "disabled" })
        mkdirSync(join(s.project, ".opencode"), { recursive: true })
        writeFileSync(join(s.project, ".opencode", "opencode.json"), '{ "share": "auto" }\n')
      },
      (s, via) => s.prompt("hello", answer(), { via }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(0)
    expect(r.overlay.requests).toBe(0)
  })

  test("--pure with --share is refused too", async () => {
    const r = await scenario(
      () => {},
      (s, via) => s.prompt("hello", answer(), { via, args: ["--pure", "--share"] }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(4)
    expect(r.overlay.requests).toBe(0)
  })

  test('a session published earlier stops syncing once the project says "disabled"', async () => {
    const r = await scenario(
      (s) => s.writeProjectConfig({ share: "manual" }),
      async (s, via) => {
        // Published on the bare runtime while the project allowed it…
        const first = await s.prompt("first", answer(), { via: "bare", args: ["--share"] })
        expect(s.capture.publishes().length).toBeGreaterThan(0)
        const sessionID = first.sessionIDs[0]!
        s.writeProjectConfig({ share: "disabled" })
        // …then continued in a long-running runtime after the project turned sharing off.
        // (`opencode run` may exit before the runtime's one-second sync batch goes out.)
        const server = await s.serve({ via })
        const before = s.capture.requests.length
        s.llm.script(turn.text("More private words."))
        const response = await fetch(`${server.url}/session/${sessionID}/message`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            parts: [{ type: "text", text: "second, private" }],
            model: { providerID: "mock", modelID: "mock-model" },
          }),
        })
        expect(response.status).toBe(200)
        await response.arrayBuffer()
        await watchForRequests(s, before, 2500)
        await server.stop()
        return { code: s.capture.requests.length - before, stderr: "" }
      },
    )
    // `code` holds the requests seen after the project said "disabled".
    expect(r.bare.code).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(0)
  })

  test("opencode serve, then POST /session/:id/share publishes nothing", async () => {
    const r = await scenario(
      () => {},
      async (s, via) => {
        const made = await s.prompt("hello", answer(), { via: "bare" })
        const before = s.capture.requests.length
        const server = await s.serve({ via })
        const response = await fetch(`${server.url}/session/${made.sessionIDs[0]}/share`, { method: "POST" })
        await watchForRequests(s, before, 1500)
        await server.stop()
        const leaked = s.capture.requests.length - before
        return { code: leaked > 0 ? -1 : response.status, stderr: await response.text() }
      },
    )
    expect(r.bare.code).toBe(-1)
    expect(r.overlay.code).not.toBe(200)
    expect(r.overlay.code).not.toBe(-1)
  })
})

describe("share guard: each layer holds on its own", () => {
  test("the guard plugin alone: a bare runtime with only the plugin publishes nothing", async () => {
    const plugin = JSON.stringify({ plugin: [[`file://${GUARD_PLUGIN_PATH}`, { mode: "disabled" }]] })
    const r = await scenario(
      (s) => s.writeProjectConfig({ share: "manual" }),
      (s, via) =>
        s.prompt("hello", answer(), {
          via: "bare",
          args: ["--share"],
          env: via === "overlay" ? { OPENCODE_CONFIG_CONTENT: plugin } : {},
        }),
    )
    expect(r.bare.requests).toBeGreaterThan(0) // control: no plugin
    expect(r.overlay.code).toBe(0) // "overlay" here: the bare runtime plus the plugin only
    expect(r.overlay.requests).toBe(0)
  })

  test("the launch environment alone: --pure (no plugins) with OPENCODE_CONFIG_CONTENT auto", async () => {
    const r = await scenario(
      () => {},
      (s, via) => s.prompt("hello", answer(), { via, args: ["--pure"], env: { OPENCODE_CONFIG_CONTENT: '{"share":"auto"}' } }),
    )
    expect(r.bare.requests).toBeGreaterThan(0)
    expect(r.overlay.code).toBe(0)
    expect(r.overlay.requests).toBe(0)
  })
})

describe("share guard: opting in still works", () => {
  test('a project that says "manual" publishes with --share through the overlay', async () => {
    await using sandbox = await createSandbox({ project: { share: "manual" } })
    const result = await sandbox.prompt("please share", answer(), { args: ["--share"] })
    expect(result.code).toBe(0)
    expect(sandbox.capture.publishes().some((r) => r.method === "POST" && r.path === "/api/share")).toBe(true)
  })
})
