import { describe, expect, setDefaultTimeout, test } from "bun:test"
import { turn } from "../support/mock-llm.ts"
import { createSandbox } from "../support/sandbox.ts"

// The runtime boots in seconds on 2 cores; bun applies a default timeout per file.
setDefaultTimeout(120_000)

const answer = () => [turn.text("A private answer.")]

describe("opencode share", () => {
  test("status in a fresh project says disabled (default)", async () => {
    await using sandbox = await createSandbox()
    const result = await sandbox.run(["share", "status"])
    expect(result.code).toBe(0)
    expect(result.stdout.split("\n")[0]).toBe("Sharing: disabled (default)")
    expect(result.stdout).toContain("opencode export")
    expect(result.stdout).toContain("Published before: none")
  })

  test("status names the deciding file and the overridden attempts", async () => {
    await using sandbox = await createSandbox({ project: { share: "disabled" }, global: { share: "auto" } })
    const result = await sandbox.run(["share", "status", "--json"], { env: { OPENCODE_AUTO_SHARE: "1" } })
    expect(result.code).toBe(0)
    const status = JSON.parse(result.stdout)
    expect(status.mode).toBe("disabled")
    expect(status.source).toBe(`${sandbox.project}/opencode.json`)
    expect(status.overridden.map((o: { source: string }) => o.source)).toEqual([
      `${sandbox.configDir}/opencode/opencode.json`,
      "OPENCODE_AUTO_SHARE",
    ])
  })

  test("share <id> while disabled is refused with the source and the export command, and sends nothing", async () => {
    await using sandbox = await createSandbox({ project: { share: "disabled" } })
    const made = await sandbox.prompt("hello", answer())
    const result = await sandbox.run(["share", made.sessionIDs[0]!])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain(`Sharing is disabled (from ${sandbox.project}/opencode.json)`)
    expect(result.stderr).toContain("opencode export")
    expect(sandbox.capture.requests).toHaveLength(0)
  })

  test('share <id> publishes where the project says "manual"', async () => {
    await using sandbox = await createSandbox({ project: { share: "manual" } })
    const made = await sandbox.prompt("hello", answer())
    const result = await sandbox.run(["share", made.sessionIDs[0]!])
    // Where it went and who reads it: a host the project names that no member token is kept for.
    expect(result.stderr).toBe(`Published ${made.sessionIDs[0]} to ${sandbox.capture.url} (no member token kept for it here: the runtime publishes there itself, unredacted, to whoever that server lets read).\n`)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^${sandbox.capture.url}/s/capture\\d+\\n$`))
    expect(sandbox.capture.requests.some((r) => r.method === "POST" && r.path === "/api/share")).toBe(true)
  })

  test("a session published earlier is listed, and revoke unpublishes it whatever the policy", async () => {
    await using sandbox = await createSandbox({ project: { share: "manual" } })
    const first = await sandbox.prompt("one", answer(), { via: "bare", args: ["--share"] })
    const second = await sandbox.prompt("two", answer(), { via: "bare", args: ["--share"] })
    const [a, b] = [first.sessionIDs[0]!, second.sessionIDs[0]!]
    sandbox.writeProjectConfig({ share: "disabled" })

    const listed = await sandbox.run(["share", "status"])
    expect(listed.stdout).toContain("Published before (2):")
    expect(listed.stdout).toContain(`opencode share revoke ${a}`)

    const one = await sandbox.run(["share", "revoke", a])
    expect(one.code).toBe(0)
    expect(one.stdout).toMatch(new RegExp(`^revoked ${a} http://127\\.0\\.0\\.1:\\d+/s/capture\\d+\\n$`))
    const deletes = () => sandbox.capture.requests.filter((r) => r.method === "DELETE")
    expect(deletes()).toHaveLength(1)

    const again = await sandbox.run(["share", "revoke", a])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain("revoked already")

    const all = await sandbox.run(["share", "revoke", "--all"])
    expect(all.code).toBe(0)
    expect(all.stdout).toContain(`revoked ${b}`)
    expect(all.stderr).toContain("Revoked 1 of 1")
    expect(deletes()).toHaveLength(2)

    const status = JSON.parse((await sandbox.run(["share", "status", "--json"])).stdout)
    expect(status.published.map((p: { state: string }) => p.state)).toEqual(["link-only", "link-only"])
    // Revoking published nothing new.
    expect(sandbox.capture.requests.filter((r) => r.method === "POST" && r.path === "/api/share")).toHaveLength(2)
  })

  test("an OPENCODE_CONFIG_CONTENT that is not JSON stops the launch with its position and what to do", async () => {
    await using sandbox = await createSandbox()
    const env = { OPENCODE_CONFIG_CONTENT: '{"share": ' }
    for (const args of [["run", "-m", "mock/mock-model", "hi"], ["serve", "--port", "0"]]) {
      const result = await sandbox.run(args, { env })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("OPENCODE_CONFIG_CONTENT is not valid JSON (line 1, column 11: ValueExpected). Fix or unset it.")
    }
    expect(sandbox.sessionIDs()).toEqual([])
  })

  test("bad usage exits 2 and says how to get help", async () => {
    await using sandbox = await createSandbox()
    for (const args of [["share", "--bogus"], ["share", "revoke"], ["share", "revoke", "x", "--all"]]) {
      const result = await sandbox.run(args)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("--help")
    }
  })
})
