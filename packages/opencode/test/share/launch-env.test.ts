import { describe, expect, test } from "bun:test"
import type { SharePolicy } from "../../src/config/policy.ts"
import { CLOSED_SHARE_HOST } from "../../src/share/constants.ts"
import { GUARD_PLUGIN_PATH, launchEnvironment } from "../../src/share/launch-env.ts"
import { publishFlag } from "../../src/share/publish-request.ts"
import { projectDirectory } from "../../src/runtime/args.ts"

const disabled: SharePolicy = { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] }
const manual: SharePolicy = {
  mode: "manual",
  source: { kind: "project", path: "/repo/opencode.json" },
  overridden: [],
  problems: [],
}

const content = (env: Record<string, string | undefined>) => JSON.parse(env.OPENCODE_CONFIG_CONTENT!)

describe("launchEnvironment", () => {
  test("disabled: switches the runtime's sharing off three ways and adds the guard plugin", () => {
    const result = launchEnvironment({ PATH: "/bin", OPENCODE_AUTO_SHARE: "1" }, disabled)
    if (!result.ok) throw new Error("expected ok")
    expect(result.env.PATH).toBe("/bin")
    expect(result.env.OPENCODE_DISABLE_SHARE).toBe("1")
    expect("OPENCODE_AUTO_SHARE" in result.env).toBe(false)
    expect(content(result.env)).toEqual({
      plugin: [[`file://${GUARD_PLUGIN_PATH}`, { mode: "disabled" }]],
      share: "disabled",
      enterprise: { url: CLOSED_SHARE_HOST },
    })
  })

  test("keeps the user's own OPENCODE_CONFIG_CONTENT, plugins included, and overrides only sharing", () => {
    const user = { model: "a/b", plugin: ["my-plugin"], share: "auto", autoshare: true, enterprise: { url: "https://x", other: 1 } }
    const result = launchEnvironment({ OPENCODE_CONFIG_CONTENT: JSON.stringify(user) }, disabled)
    if (!result.ok) throw new Error("expected ok")
    const merged = content(result.env)
    expect(merged.model).toBe("a/b")
    expect(merged.plugin[0]).toBe("my-plugin")
    expect(merged.plugin).toHaveLength(2)
    expect(merged.share).toBe("disabled")
    expect(merged.autoshare).toBeUndefined()
    expect(merged.enterprise).toEqual({ url: CLOSED_SHARE_HOST, other: 1 })
  })

  test("enabled by the project: the runtime's files decide; variables still cannot enable", () => {
    const result = launchEnvironment(
      { OPENCODE_AUTO_SHARE: "true", OPENCODE_CONFIG_CONTENT: '{"share":"auto","enterprise":{"url":"https://e"}}' },
      manual,
    )
    if (!result.ok) throw new Error("expected ok")
    expect(result.env.OPENCODE_DISABLE_SHARE).toBeUndefined()
    expect(result.env.OPENCODE_AUTO_SHARE).toBeUndefined()
    const merged = content(result.env)
    expect(merged.share).toBeUndefined()
    expect(merged.enterprise).toEqual({ url: "https://e" })
    expect(merged.plugin).toEqual([[`file://${GUARD_PLUGIN_PATH}`, { mode: "manual" }]])
  })

  test("OPENCODE_CONFIG_CONTENT that is not JSON is reported with its position", () => {
    const result = launchEnvironment({ OPENCODE_CONFIG_CONTENT: '{"share": }' }, disabled)
    expect(result).toEqual({ ok: false, problem: { message: "ValueExpected", line: 1, column: 11 } })
  })
})

describe("publishFlag", () => {
  test("finds --share in every spelling that publishes", () => {
    expect(publishFlag(["run", "--share", "hi"])).toBe("--share")
    expect(publishFlag(["run", "hi", "--share=true"])).toBe("--share=true")
    expect(publishFlag(["--pure", "run", "--share", "true", "hi"])).toBe("--share")
  })
  test("ignores --share=false, --no-share and anything after --", () => {
    expect(publishFlag(["run", "--share=false", "hi"])).toBeUndefined()
    expect(publishFlag(["run", "--share", "false", "hi"])).toBeUndefined()
    expect(publishFlag(["run", "--no-share", "hi"])).toBeUndefined()
    expect(publishFlag(["run", "--", "--share"])).toBeUndefined()
  })
})

describe("projectDirectory", () => {
  test("--dir, the TUI's project argument, or the working directory", () => {
    expect(projectDirectory(["run", "--dir", "sub", "hi"], "/tmp")).toBe("/tmp/sub")
    expect(projectDirectory(["run", "--dir=/abs", "hi"], "/tmp")).toBe("/abs")
    expect(projectDirectory(["/"], "/tmp")).toBe("/")
    expect(projectDirectory(["run", "hi"], "/tmp")).toBe("/tmp")
    expect(projectDirectory(["-m", "a/b", "run", "/"], "/tmp")).toBe("/tmp")
    expect(projectDirectory(["-m", "a/b", "/"], "/tmp")).toBe("/")
  })
})
