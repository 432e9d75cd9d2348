import { afterEach, beforeEach, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeSource } from "../../src/config/layer.ts"
import { resolveSharePolicy } from "../../src/config/policy.ts"
import { managedConfigDir, readLayers } from "../../src/config/read.ts"

let root: string
let home: string
let repo: string
let env: Record<string, string>

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "overlay-config-"))
  home = join(root, "home")
  repo = join(root, "repo")
  mkdirSync(join(repo, ".git"), { recursive: true })
  mkdirSync(join(repo, "pkg", "src"), { recursive: true })
  mkdirSync(join(home, ".config", "opencode"), { recursive: true })
  env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config"), OPENCODE_TEST_MANAGED_CONFIG_DIR: join(root, "managed") }
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const write = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true })
  writeFileSync(path, text)
}
const sources = (cwd: string, e = env) => readLayers(cwd, e).map((l) => describeSource(l.source))

describe("readLayers", () => {
  test("reads the layers in the runtime's order, lowest first", () => {
    write(join(home, ".config", "opencode", "opencode.json"), "{}")
    write(join(home, ".config", "opencode", "opencode.jsonc"), "{}")
    write(join(root, "custom.json"), "{}")
    write(join(repo, "opencode.json"), "{}")
    write(join(repo, "pkg", "opencode.jsonc"), "{}")
    write(join(repo, ".opencode", "opencode.json"), "{}")
    write(join(repo, "pkg", ".opencode", "opencode.json"), "{}")
    write(join(home, ".opencode", "opencode.json"), "{}")
    write(join(root, "confdir", "opencode.jsonc"), "{}")
    write(join(root, "managed", "opencode.json"), "{}")
    const e = {
      ...env,
      OPENCODE_CONFIG: join(root, "custom.json"),
      OPENCODE_CONFIG_DIR: join(root, "confdir"),
      OPENCODE_CONFIG_CONTENT: "{}",
      OPENCODE_AUTO_SHARE: "true",
    }
    expect(sources(join(repo, "pkg", "src"), e)).toEqual([
      join(home, ".config", "opencode", "opencode.json"),
      join(home, ".config", "opencode", "opencode.jsonc"),
      `${join(root, "custom.json")} (OPENCODE_CONFIG)`,
      join(repo, "opencode.json"),
      join(repo, "pkg", "opencode.jsonc"),
      join(repo, "pkg", ".opencode", "opencode.json"),
      join(repo, ".opencode", "opencode.json"),
      join(home, ".opencode", "opencode.json"),
      `${join(root, "confdir", "opencode.jsonc")} (OPENCODE_CONFIG_DIR)`,
      "OPENCODE_CONFIG_CONTENT",
      "OPENCODE_AUTO_SHARE",
      // The administrator's folder, merged last by the runtime.
      `${join(root, "managed", "opencode.json")} (administrator)`,
    ])
  })

  test("stops at the worktree root: a file above the repository is not the project's", () => {
    write(join(root, "opencode.json"), '{ "share": "disabled" }')
    write(join(repo, "opencode.json"), '{ "share": "manual" }')
    expect(sources(repo)).toEqual([join(repo, "opencode.json")])
  })

  test("JSONC: comments and trailing commas are fine", () => {
    write(join(repo, "opencode.jsonc"), '// team policy\n{\n  /* publishing */ "share": "manual",\n}\n')
    expect(resolveSharePolicy(readLayers(repo, env)).mode).toBe("manual")
  })

  test("the older autoshare: true reads as auto", () => {
    write(join(repo, "opencode.json"), '{ "autoshare": true }')
    expect(resolveSharePolicy(readLayers(repo, env)).mode).toBe("auto")
  })

  test("a malformed file is reported with path, line and column, and counts as disabled", () => {
    write(join(repo, "opencode.json"), '{ "share": "manual" }')
    write(join(repo, ".opencode", "opencode.json"), '{\n  "share": "auto"\n  "model": "x"\n}')
    const policy = resolveSharePolicy(readLayers(repo, env))
    expect(policy.mode).toBe("disabled")
    expect(policy.problems).toHaveLength(1)
    expect(describeSource(policy.problems[0]!.source)).toBe(join(repo, ".opencode", "opencode.json"))
    expect(policy.problems[0]!.problem).toEqual({ message: "CommaExpected", line: 3, column: 3 })
  })

  test("OPENCODE_CONFIG_CONTENT that does not parse counts as disabled", () => {
    write(join(repo, "opencode.json"), '{ "share": "manual" }')
    const policy = resolveSharePolicy(readLayers(repo, { ...env, OPENCODE_CONFIG_CONTENT: "{ share: " }))
    expect(policy.mode).toBe("disabled")
    expect(describeSource(policy.source)).toBe("OPENCODE_CONFIG_CONTENT")
  })

  test("OPENCODE_AUTO_SHARE=0 or false is no layer at all", () => {
    expect(sources(repo, { ...env, OPENCODE_AUTO_SHARE: "0" })).toEqual([])
    expect(sources(repo, { ...env, OPENCODE_AUTO_SHARE: "false" })).toEqual([])
  })

  test("project files are read even under OPENCODE_DISABLE_PROJECT_CONFIG, marked as unread by the runtime", () => {
    write(join(repo, "opencode.json"), '{ "share": "disabled" }')
    const off = { ...env, OPENCODE_DISABLE_PROJECT_CONFIG: "1" }
    const policy = resolveSharePolicy(readLayers(repo, off))
    expect(describeSource(policy.source)).toBe(join(repo, "opencode.json"))
    expect(readLayers(repo, off)[0]?.unread).toContain("OPENCODE_DISABLE_PROJECT_CONFIG")
    expect(readLayers(repo, env)[0]?.unread).toBeUndefined()
  })

  test("a project's manual does not count where the runtime does not read it", () => {
    write(join(repo, "opencode.json"), '{ "share": "manual" }')
    expect(resolveSharePolicy(readLayers(repo, env)).mode).toBe("manual")
    const policy = resolveSharePolicy(readLayers(repo, { ...env, OPENCODE_DISABLE_PROJECT_CONFIG: "true" }))
    expect(policy.mode).toBe("disabled")
    expect(policy.overridden.map((o) => [o.cause, describeSource(o.source)])).toEqual([["unread", join(repo, "opencode.json")]])
  })

  test("the administrator's folder: /etc/opencode on Linux, its macOS and Windows places, or the runtime's test variable", () => {
    expect(managedConfigDir({}, "linux")).toBe("/etc/opencode")
    expect(managedConfigDir({}, "darwin")).toBe("/Library/Application Support/opencode")
    expect(managedConfigDir({ ProgramData: "D:\\Data" }, "win32")).toBe(join("D:\\Data", "opencode"))
    expect(managedConfigDir({ OPENCODE_TEST_MANAGED_CONFIG_DIR: "/x" }, "linux")).toBe("/x")
  })

  test("the administrator's disabled locks a project that opted in; its auto cannot enable a silent one", () => {
    write(join(repo, "opencode.json"), '{ "share": "manual" }')
    write(join(root, "managed", "opencode.jsonc"), '{ "share": "disabled" }')
    const locked = resolveSharePolicy(readLayers(repo, env))
    expect([locked.mode, describeSource(locked.source)]).toEqual(["disabled", `${join(root, "managed", "opencode.jsonc")} (administrator)`])
    expect(locked.overridden.map((o) => o.cause)).toEqual(["locked"])
    write(join(root, "managed", "opencode.jsonc"), '{ "share": "auto" }')
    expect(resolveSharePolicy(readLayers(repo, env)).mode).toBe("manual")
    rmSync(join(repo, "opencode.json"))
    const silent = resolveSharePolicy(readLayers(repo, env))
    expect(silent.mode).toBe("disabled")
    expect(silent.overridden.map((o) => o.cause)).toEqual(["cannot-enable"])
  })
})
