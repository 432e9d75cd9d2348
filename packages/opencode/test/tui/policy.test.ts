import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { SharePolicy } from "../../src/config/policy.ts"
import { LAUNCH_VARIABLE } from "../../src/launch/constants.ts"
import { parseLaunchInfo } from "../../src/launch/launch-info.ts"
import { tuiPolicy } from "../../src/tui/policy.ts"

const root = mkdtempSync(join(tmpdir(), "tui-policy-test-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function project(name: string, share?: string): string {
  const dir = join(root, name)
  mkdirSync(join(dir, ".git"), { recursive: true })
  if (share) writeFileSync(join(dir, "opencode.json"), JSON.stringify({ share }))
  return dir
}

const home = { HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "config") }
const envContent: SharePolicy = {
  mode: "disabled",
  source: { kind: "env-content", variable: "OPENCODE_CONFIG_CONTENT" },
  overridden: [],
  problems: [],
}

const launch = (directory: string, policy: SharePolicy) => JSON.stringify({ directory, policy, userEnv: {} })

describe("parseLaunchInfo", () => {
  test("reads back what the launcher wrote; anything else is undefined", () => {
    const info = { directory: "/p", policy: envContent, userEnv: { A: "1", B: null } }
    expect(parseLaunchInfo(JSON.stringify(info))).toEqual(info)
    for (const bad of [
      undefined,
      "",
      "nope",
      "{}",
      JSON.stringify({ ...info, policy: { ...envContent, mode: "open" } }),
      JSON.stringify({ ...info, policy: { ...envContent, source: "x" } }),
      JSON.stringify({ ...info, userEnv: { A: 1 } }),
    ])
      expect(parseLaunchInfo(bad)).toBeUndefined()
  })
})

describe("tuiPolicy", () => {
  test("the launcher's policy for the folder it resolved, even where the files alone would say otherwise", () => {
    // The user's OPENCODE_CONFIG_CONTENT said "disabled"; the TUI's environment no longer shows it.
    const dir = project("manual-but-env-disabled", "manual")
    const env = { ...home, [LAUNCH_VARIABLE]: launch(dir, envContent) }
    expect(tuiPolicy(dir, env)).toEqual(envContent)
  })

  test("without the launcher's word: the folder's files decide, and variables cannot enable", () => {
    expect(tuiPolicy(project("silent"), { ...home, OPENCODE_CONFIG_CONTENT: '{"share":"auto"}', OPENCODE_AUTO_SHARE: "1" }).mode).toBe("disabled")
    const manualDir = project("manual", "manual")
    expect(tuiPolicy(manualDir, home)).toMatchObject({ mode: "manual", source: { kind: "project", path: join(manualDir, "opencode.json") } })
  })

  test("another folder than the launcher resolved: its files decide, and the launcher's disabled still holds", () => {
    const manualDir = project("manual-2", "manual")
    expect(tuiPolicy(manualDir, { ...home, [LAUNCH_VARIABLE]: launch("/elsewhere", envContent) })).toEqual(envContent)
    const enabled: SharePolicy = { ...envContent, mode: "manual", source: { kind: "project", path: "/elsewhere/opencode.json" } }
    const disabledDir = project("disabled", "disabled")
    expect(tuiPolicy(disabledDir, { ...home, [LAUNCH_VARIABLE]: launch("/elsewhere", enabled) })).toMatchObject({
      mode: "disabled",
      source: { kind: "project" },
    })
  })
})
