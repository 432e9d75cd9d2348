/**
 * The share policy over every source the pinned runtime reads: the
 * administrator's folder (OPENCODE_TEST_MANAGED_CONFIG_DIR stands in for
 * /etc/opencode, for the runtime and the overlay alike), OPENCODE_CONFIG_DIR,
 * OPENCODE_DISABLE_PROJECT_CONFIG, and attaching to a server the overlay does
 * not guard. Leak tests count requests at the capture server; each has a
 * control that makes the capture see a publication.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, type Sandbox } from "../support/sandbox.ts"

setDefaultTimeout(180_000)

const answer = () => [turn.text("Nothing to publish here.")]

/** Publications (share creations) the capture server saw while `work` ran. */
async function publishedDuring(sandbox: Sandbox, work: () => Promise<unknown>): Promise<number> {
  const before = sandbox.capture.publishes().length
  await work()
  return sandbox.capture.publishes().length - before
}

describe("the administrator's folder (managed config)", () => {
  test('"auto" there, the project silent: a new session is not published (control: the bare runtime publishes it)', async () => {
    await using sandbox = await createSandbox()
    sandbox.writeManagedConfig({ share: "auto" })
    const bare = await publishedDuring(sandbox, () => sandbox.prompt("hello", answer(), { via: "bare" }))
    expect(bare).toBeGreaterThan(0)
    let run = { code: null as number | null }
    const overlay = await publishedDuring(sandbox, async () => (run = await sandbox.prompt("hello", answer())))
    expect(run.code).toBe(0)
    expect(overlay).toBe(0)
    const status = await sandbox.run(["share", "status"])
    expect(status.stdout).toContain("Sharing: disabled (default)")
    expect(status.stdout).toContain(`${join(sandbox.managedDir, "opencode.json")} (administrator) ("auto"): `)
  })

  test('"disabled" there locks a project that opted in: opencode share <id> is refused, naming the file (control: without it, it publishes)', async () => {
    await using sandbox = await createSandbox({ project: { share: "manual" } })
    const id = (await sandbox.prompt("a session to publish", answer())).sessionIDs[0]!
    const managed = sandbox.writeManagedConfig({ share: "disabled" })
    let refused = { code: null as number | null, stderr: "" }
    expect(await publishedDuring(sandbox, async () => (refused = await sandbox.run(["share", id])))).toBe(0)
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain(`Sharing is disabled (from ${managed} (administrator))`)
    expect(refused.stderr).toContain("The administrator disables sharing for every project on this machine")
    const status = await sandbox.run(["share", "status", "--json"])
    const json = JSON.parse(status.stdout) as { mode: string; overridden: Array<{ cause: string; source: string }> }
    expect(json.mode).toBe("disabled")
    expect(json.overridden).toEqual([expect.objectContaining({ cause: "locked", source: join(sandbox.project, "opencode.json") })])
    // The control: the lock lifted, the same command publishes.
    writeFileSync(managed, "{}\n")
    let shared = { code: null as number | null }
    expect(await publishedDuring(sandbox, async () => (shared = await sandbox.run(["share", id])))).toBeGreaterThan(0)
    expect(shared.code).toBe(0)
  })
})

test('OPENCODE_CONFIG_DIR saying "auto": a new session is not published (control: the bare runtime publishes it)', async () => {
  await using sandbox = await createSandbox()
  const dir = join(sandbox.root, "config-dir")
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "opencode.json"), '{ "share": "auto" }\n')
  const env = { OPENCODE_CONFIG_DIR: dir }
  expect(await publishedDuring(sandbox, () => sandbox.prompt("hello", answer(), { via: "bare", env }))).toBeGreaterThan(0)
  expect(await publishedDuring(sandbox, () => sandbox.prompt("hello", answer(), { env }))).toBe(0)
  const status = await sandbox.run(["share", "status"], { env })
  expect(status.stdout).toContain("Sharing: disabled (default)")
  expect(status.stdout).toContain(`${join(dir, "opencode.json")} (OPENCODE_CONFIG_DIR) ("auto"): `)
})

test("OPENCODE_DISABLE_PROJECT_CONFIG with a project that opted in: status says disabled, and why; sharing is refused", async () => {
  await using sandbox = await createSandbox({ project: { share: "manual" } })
  const off = { OPENCODE_DISABLE_PROJECT_CONFIG: "1" }
  const id = (await sandbox.prompt("hello", answer())).sessionIDs[0]!
  // The control: without the variable, the project's "manual" decides.
  expect((await sandbox.run(["share", "status"])).stdout).toContain(`Sharing: manual (from ${join(sandbox.project, "opencode.json")})`)
  const status = await sandbox.run(["share", "status"], { env: off })
  expect(status.stdout).toContain("Sharing: disabled (default)")
  expect(status.stdout).toContain("OPENCODE_DISABLE_PROJECT_CONFIG is set: the runtime does not read project files")
  const refused = await sandbox.run(["share", id], { env: off })
  expect(refused.code).toBe(4)
  expect(refused.stderr).toContain("OPENCODE_DISABLE_PROJECT_CONFIG is set, so the runtime does not read it")
  expect(sandbox.capture.publishes()).toHaveLength(0)
})

test("config the runtime fetches at start (a well-known auth entry) is named by share status", async () => {
  await using sandbox = await createSandbox()
  mkdirSync(join(sandbox.dataDir, "opencode"), { recursive: true })
  writeFileSync(join(sandbox.dataDir, "opencode", "auth.json"), JSON.stringify({ "https://config.example.com/": { type: "wellknown", key: "TOKEN", token: "t0ps3cret" } }))
  const status = await sandbox.run(["share", "status"])
  expect(status.stdout).toContain("Config the runtime fetches when it starts")
  expect(status.stdout).toContain("https://config.example.com/.well-known/opencode")
  expect(status.stdout).not.toContain("t0ps3cret")
  const json = JSON.parse((await sandbox.run(["share", "status", "--json"])).stdout) as { remote: unknown }
  expect(json.remote).toEqual([{ kind: "well-known", url: "https://config.example.com/.well-known/opencode" }])
})

describe("attaching to a server", () => {
  test('a bare runtime server whose config says "auto": refused (exit 4), nothing published; control: --unguarded attaches, and it publishes', async () => {
    await using sandbox = await createSandbox()
    // The server's own project config (where it runs) says "auto"; the local project is silent: "disabled".
    const remote = join(sandbox.root, "remote-project")
    sandbox.writeProjectConfig({ share: "auto" }, remote)
    const server = await sandbox.serve({ via: "bare", cwd: remote })
    sandbox.llm.script(...answer())
    const refused = await sandbox.run(["run", "--attach", server.url, "-m", MOCK_MODEL, "hello"])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain(`${server.url} is a runtime server the overlay does not guard, and its config says "share": "auto"`)
    expect(refused.stderr).toContain("--unguarded")
    expect(sandbox.capture.publishes()).toHaveLength(0)
    // Reading from it stays allowed.
    const sessions = (await (await fetch(`${server.url}/session`)).json()) as Array<{ id: string }>
    expect(sessions).toEqual([])
    sandbox.llm.script(...answer())
    const unguarded = await publishedDuring(sandbox, async () => {
      const result = await sandbox.run(["run", "--attach", server.url, "--unguarded", "-m", MOCK_MODEL, "hello"])
      expect(result.code).toBe(0)
      expect(result.stderr).toContain("--unguarded: attaching to")
    })
    expect(unguarded).toBeGreaterThan(0)
  })

  test("the overlay's own server is guarded: attaching is allowed and publishes nothing", async () => {
    await using sandbox = await createSandbox()
    sandbox.writeGlobalConfig({ share: "auto" })
    const server = await sandbox.serve()
    sandbox.llm.script(...answer())
    const result = await sandbox.run(["run", "--attach", server.url, "-m", MOCK_MODEL, "hello"])
    expect(result.code).toBe(0)
    expect(sandbox.capture.publishes()).toHaveLength(0)
  })
})
