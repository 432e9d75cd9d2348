/**
 * `opencode export --attach <url>`: the same session read through a running
 * runtime's HTTP API gives the same export as the database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, type Sandbox } from "../support/sandbox.ts"

let sandbox: Sandbox
let id: string
let url: string

beforeAll(async () => {
  sandbox = await createSandbox({ title: "Served session" })
  const made = await sandbox.prompt("attach to me", [
    turn.bash("echo served", "Say served"),
    turn.tool("task", { description: "Look around", prompt: "look", subagent_type: "general" }),
    turn.text("looked"),
    turn.text("All done.", "Reasoning over HTTP."),
  ])
  expect(made.code).toBe(0)
  id = sandbox.sessionIDs()[0]!
  url = (await sandbox.serve()).url
}, 180_000) // real runtime runs take seconds; the default hook timeout is 5 s

afterAll(async () => {
  await sandbox?.dispose()
})

describe("export --attach", () => {
  test("Markdown: byte for byte what the database gives", async () => {
    const args = [id, "--stdout", "--thinking", "--tool-details"]
    const [served, stored] = await Promise.all([sandbox.run(["export", ...args, "--attach", url]), sandbox.run(["export", ...args])])
    expect(served.code).toBe(0)
    expect(served.stdout).toContain("> Reasoning over HTTP.")
    expect(served.stdout).toContain("### Subagent: Look around (@general subagent)")
    expect(served.stdout).toBe(stored.stdout)
  })

  test("JSON: the same values, marked as read through the API", async () => {
    const env = { SOURCE_DATE_EPOCH: "1700000000" }
    const args = [id, "--stdout", "--format", "json"]
    const [served, stored] = await Promise.all([
      sandbox.run(["export", ...args, "--attach", url], { env }),
      sandbox.run(["export", ...args], { env }),
    ])
    const a = JSON.parse(served.stdout)
    const b = JSON.parse(stored.stdout)
    expect(a.source).toBe("attach")
    expect(b.source).toBe("database")
    expect(a.runtime).toEqual({ name: "opencode-ai", version: "1.18.33" })
    expect(a.session).toEqual(b.session)
  })

  test("--last and an unknown id work through the API too", async () => {
    const last = await sandbox.run(["export", "--last", "--attach", url, "--stdout"])
    expect(last.code).toBe(0)
    expect(last.stdout).toContain(`- Session: \`${id}\``)
    const unknown = await sandbox.run(["export", "ses_nope", "--attach", url])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(`opencode export: No session "ses_nope" in ${url}.\n`)
  })

  test("a server that is not there: exit 1, saying so", async () => {
    const result = await sandbox.run(["export", id, "--attach", "http://127.0.0.1:9"])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("Cannot read the version from the OpenCode server at http://127.0.0.1:9")
    expect(result.stderr).toContain("Is it running (opencode serve)? Check --attach.")
  })
})
