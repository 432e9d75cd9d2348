import { describe, expect, test } from "bun:test"
import { PLUGIN_PACKAGE, planFolder, type FolderState, type JsonFile } from "../../src/runtime/plugin-deps.ts"

const json = (value: Record<string, unknown>, text = `${JSON.stringify(value, null, 2)}\n`): JsonFile => ({ kind: "ok", text, value })
const missing: JsonFile = { kind: "missing" }
const lockOf = (deps: Record<string, string>) => json({ lockfileVersion: 3, packages: { "": { dependencies: deps } } })
const state = (over: Partial<FolderState>): FolderState => ({ packageJson: missing, lock: missing, nodeModules: false, ...over })

describe("planFolder: what the runtime would install, and what to write instead", () => {
  test("a new home: manifest, lockfile and the package, pinned", () => {
    const plan = planFolder(state({}), "1.18.33")
    expect(plan.kind).toBe("seed")
    if (plan.kind !== "seed") return
    expect(JSON.parse(plan.packageJson!)).toEqual({ dependencies: { [PLUGIN_PACKAGE]: "1.18.33" } })
    expect(JSON.parse(plan.lock!).packages[""].dependencies).toEqual({ [PLUGIN_PACKAGE]: "1.18.33" })
  })

  test("installed already (by the runtime or an earlier start): nothing to do", () => {
    const plan = planFolder(
      state({ packageJson: json({ dependencies: { [PLUGIN_PACKAGE]: "1.17.0" } }), lock: lockOf({ [PLUGIN_PACKAGE]: "1.17.0" }), nodeModules: true }),
      "1.18.33",
    )
    expect(plan).toEqual({ kind: "ready" })
  })

  test("the user's own installed dependencies stay, in the user's formatting", () => {
    const text = `{\n\t"name": "my-config",\n\t"dependencies": {\n\t\t"left-pad": "1.3.0"\n\t}\n}\n`
    const plan = planFolder(
      state({ packageJson: json(JSON.parse(text), text), lock: lockOf({ "left-pad": "1.3.0" }), nodeModules: true }),
      "1.18.33",
    )
    expect(plan.kind).toBe("seed")
    if (plan.kind !== "seed") return
    expect(JSON.parse(plan.packageJson!)).toEqual({ name: "my-config", dependencies: { "left-pad": "1.3.0", [PLUGIN_PACKAGE]: "1.18.33" } })
    expect(plan.packageJson).toContain(`\n\t"name": "my-config",`)
    const lock = JSON.parse(plan.lock!)
    expect(lock.lockfileVersion).toBe(3)
    expect(lock.packages[""].dependencies).toEqual({ "left-pad": "1.3.0", [PLUGIN_PACKAGE]: "1.18.33" })
  })

  test("only the file that lacks the package is rewritten", () => {
    const plan = planFolder(
      state({ packageJson: json({ dependencies: { [PLUGIN_PACKAGE]: "1.18.33" } }), lock: lockOf({}), nodeModules: true }),
      "1.18.33",
    )
    expect(plan.kind).toBe("seed")
    if (plan.kind !== "seed") return
    expect(plan.packageJson).toBeUndefined()
    expect(JSON.parse(plan.lock!).packages[""].dependencies).toEqual({ [PLUGIN_PACKAGE]: "1.18.33" })
  })

  test("dependencies of the user's that are not installed yet: left for an install, never faked", () => {
    const notLocked = planFolder(
      state({ packageJson: json({ dependencies: { "my-plugin": "2.0.0" } }), lock: lockOf({}), nodeModules: true }),
      "1.18.33",
    )
    expect(notLocked).toEqual({ kind: "leave", reason: "my-plugin is not installed yet" })
    const noModules = planFolder(
      state({ packageJson: json({ devDependencies: { "my-plugin": "2.0.0" } }), lock: lockOf({ "my-plugin": "2.0.0" }) }),
      "1.18.33",
    )
    expect(noModules.kind).toBe("leave")
  })

  test("files that do not parse are not touched", () => {
    expect(planFolder(state({ packageJson: { kind: "invalid", message: "Unexpected token" } }), "1.18.33")).toEqual({
      kind: "leave",
      reason: "its package.json cannot be read (Unexpected token)",
    })
    expect(planFolder(state({ lock: { kind: "invalid", message: "bad" } }), "1.18.33").kind).toBe("leave")
  })
})
