import { describe, expect, test } from "bun:test"
import type { ConfigLayer, LayerSource, ShareMode } from "../../src/config/layer.ts"
import { describePolicy, resolveSharePolicy } from "../../src/config/policy.ts"

const global: LayerSource = { kind: "global", path: "/home/u/.config/opencode/opencode.json" }
const envFile: LayerSource = { kind: "env-file", path: "/etc/oc.json", variable: "OPENCODE_CONFIG" }
const project: LayerSource = { kind: "project", path: "/repo/opencode.json" }
const nested: LayerSource = { kind: "project", path: "/repo/pkg/opencode.jsonc" }
const dotdir: LayerSource = { kind: "project-dir", path: "/repo/.opencode/opencode.json" }
const content: LayerSource = { kind: "env-content", variable: "OPENCODE_CONFIG_CONTENT" }
const flag: LayerSource = { kind: "env-flag", variable: "OPENCODE_AUTO_SHARE" }

const says = (source: LayerSource, mode: ShareMode): ConfigLayer => ({ source, share: { kind: "mode", mode, key: "share" } })
const silent = (source: LayerSource): ConfigLayer => ({ source })
const broken = (source: LayerSource): ConfigLayer => ({ source, problem: { message: "CloseBraceExpected", line: 3, column: 7 } })

describe("resolveSharePolicy", () => {
  test("no value anywhere is disabled, by default", () => {
    const policy = resolveSharePolicy([silent(global), silent(project)])
    expect(policy.mode).toBe("disabled")
    expect(policy.source).toEqual({ kind: "default" })
    expect(describePolicy(policy)).toBe("disabled (default)")
  })

  test("a project file enables sharing", () => {
    for (const mode of ["manual", "auto"] as const) {
      const policy = resolveSharePolicy([says(project, mode)])
      expect(policy.mode).toBe(mode)
      expect(policy.source).toBe(project)
    }
    expect(resolveSharePolicy([says(dotdir, "manual")]).mode).toBe("manual")
  })

  test("global files, OPENCODE_CONFIG, OPENCODE_CONFIG_CONTENT and OPENCODE_AUTO_SHARE cannot enable", () => {
    for (const source of [global, envFile, content, flag]) {
      const policy = resolveSharePolicy([says(source, "auto")])
      expect(policy.mode).toBe("disabled")
      expect(policy.source).toEqual({ kind: "default" })
      expect(policy.overridden).toHaveLength(1)
      expect(policy.overridden[0]!.source).toBe(source)
      expect(policy.overridden[0]!.reason).toContain("can only disable")
    }
  })

  test("but they can disable what a lower layer enabled", () => {
    expect(resolveSharePolicy([says(project, "auto"), says(content, "disabled")]).mode).toBe("disabled")
    const policy = resolveSharePolicy([says(project, "manual"), says(content, "disabled")])
    expect(policy.source).toBe(content)
    expect(policy.overridden.map((o) => o.source)).toEqual([project])
  })

  test("a project's disabled is sticky against every later layer", () => {
    const policy = resolveSharePolicy([
      says(global, "auto"),
      says(project, "disabled"),
      says(nested, "auto"),
      says(dotdir, "manual"),
      says(content, "auto"),
      says(flag, "auto"),
    ])
    expect(policy.mode).toBe("disabled")
    expect(policy.source).toBe(project)
    expect(policy.overridden.map((o) => o.source)).toEqual([global, nested, dotdir, content, flag])
    for (const o of policy.overridden.slice(1)) expect(o.reason).toContain("/repo/opencode.json")
  })

  test("a global disabled is not sticky: the project may still opt in", () => {
    const policy = resolveSharePolicy([says(global, "disabled"), says(project, "manual")])
    expect(policy.mode).toBe("manual")
    expect(policy.source).toBe(project)
  })

  test("later project files refine earlier ones, nearest directory last", () => {
    expect(resolveSharePolicy([says(project, "auto"), says(nested, "manual")]).mode).toBe("manual")
    const overridden = resolveSharePolicy([says(project, "auto"), says(nested, "manual")]).overridden
    expect(overridden).toEqual([{ source: project, mode: "auto", cause: "later", reason: 'overridden by /repo/pkg/opencode.jsonc ("manual")' }])
  })

  test("a file that does not parse counts as disabled, never as permission", () => {
    const policy = resolveSharePolicy([says(project, "auto"), broken(dotdir)])
    expect(policy.mode).toBe("disabled")
    expect(policy.source).toBe(dotdir)
    expect(policy.problems).toEqual([{ source: dotdir, problem: { message: "CloseBraceExpected", line: 3, column: 7 } }])
    // A broken project file is a project "disabled": sticky.
    expect(resolveSharePolicy([broken(project), says(dotdir, "auto")]).mode).toBe("disabled")
  })

  test("an unknown share value counts as disabled", () => {
    const policy = resolveSharePolicy([says(project, "manual"), { source: nested, share: { kind: "invalid", raw: '"public"' } }])
    expect(policy.mode).toBe("disabled")
    expect(policy.source).toBe(nested)
  })

  test("every combination of three layers: enabled only when a project file enabled and nothing disabled after", () => {
    const sources = [global, project, content]
    const values: Array<ShareMode | undefined> = [undefined, "disabled", "manual", "auto"]
    for (const a of values)
      for (const b of values)
        for (const c of values) {
          const layers = [a, b, c].map((v, i) => (v ? says(sources[i]!, v) : silent(sources[i]!)))
          const policy = resolveSharePolicy(layers)
          const expected = c === "disabled" ? "disabled" : b === "manual" || b === "auto" ? b : "disabled"
          expect(policy.mode).toBe(expected)
        }
  })
})
