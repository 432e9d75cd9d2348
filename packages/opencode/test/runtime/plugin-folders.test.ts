import { afterEach, describe, expect, test } from "bun:test"
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PLUGIN_PACKAGE } from "../../src/runtime/plugin-deps.ts"
import { overlayPluginSource, preparePluginFolders } from "../../src/runtime/plugin-folders.ts"
import { locateRuntime } from "../../src/runtime/locate.ts"
import * as Effect from "effect/Effect"
import { CAN_DROP, reachableBun, reachableScript, unprivileged } from "../../../../test/support/unprivileged.ts"

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) {
    try {
      chmodSync(join(root, "config", "opencode"), 0o755)
    } catch {}
    rmSync(root, { recursive: true, force: true })
  }
})

function home() {
  const root = mkdtempSync(join(tmpdir(), "plugin-folders-"))
  roots.push(root)
  const project = join(root, "project")
  mkdirSync(join(project, ".git"), { recursive: true })
  const env = { HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "config") }
  return { root, project, env, global: join(root, "config", "opencode") }
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"))
const link = (folder: string) => join(folder, "node_modules", ...PLUGIN_PACKAGE.split("/"))

describe("preparePluginFolders: the runtime's config folders before it starts", () => {
  test("the overlay's copy of the package is the runtime's pinned version", () => {
    const runtime = Effect.runSync(locateRuntime())
    expect(overlayPluginSource().version).toBe(runtime.version)
  })

  test("a new home: the global folder gets the package, linked, and the files that list it", () => {
    const { project, env, global } = home()
    const { outcomes, warnings } = preparePluginFolders(project, env)
    expect(warnings).toEqual([])
    expect(outcomes.map((o) => [o.folder, o.plan.kind])).toEqual([[global, "seed"]])
    expect(readJson(join(global, "package.json")).dependencies[PLUGIN_PACKAGE]).toBe("1.18.33")
    expect(readJson(join(global, "package-lock.json")).packages[""].dependencies[PLUGIN_PACKAGE]).toBe("1.18.33")
    expect(readlinkSync(link(global))).toBe(overlayPluginSource().directory)
    expect(readJson(join(link(global), "package.json")).name).toBe(PLUGIN_PACKAGE)
    // A second start finds it ready and writes nothing.
    expect(preparePluginFolders(project, env).outcomes.map((o) => o.plan.kind)).toEqual(["ready"])
  })

  test("project .opencode folders and OPENCODE_CONFIG_DIR are prepared too; project ones not when project config is off", () => {
    const { root, project, env, global } = home()
    const dotOpencode = join(project, "sub", ".opencode")
    mkdirSync(dotOpencode, { recursive: true })
    const configDir = join(root, "team-config")
    const cwd = join(project, "sub")
    const all = preparePluginFolders(cwd, { ...env, OPENCODE_CONFIG_DIR: configDir })
    expect(all.outcomes.map((o) => o.folder)).toEqual([global, dotOpencode, configDir])
    for (const folder of [global, dotOpencode, configDir]) expect(existsSync(join(link(folder), "package.json"))).toBe(true)
    rmSync(dotOpencode, { recursive: true })
    mkdirSync(dotOpencode)
    const off = preparePluginFolders(cwd, { ...env, OPENCODE_DISABLE_PROJECT_CONFIG: "true" })
    expect(off.outcomes.map((o) => o.folder)).toEqual([global])
    expect(existsSync(join(dotOpencode, "node_modules"))).toBe(false)
  })

  test.skipIf(!CAN_DROP)("a read-only folder is left alone, without a warning (the runtime skips it too)", async () => {
    const { root, project, env, global } = home()
    mkdirSync(global, { recursive: true })
    chmodSync(global, 0o555)
    chmodSync(root, 0o755)
    // Root may write anywhere: the check runs as an ordinary user, as a real user's start would, from a
    // bundle of its own in a folder that user may enter (the checkout may be closed to other users).
    const script = await reachableScript(
      "plugin-folders",
      `import { preparePluginFolders } from ${JSON.stringify(join(import.meta.dir, "../../src/runtime/plugin-folders.ts"))}
      console.log(JSON.stringify(preparePluginFolders(${JSON.stringify(project)}, ${JSON.stringify(env)}, ${JSON.stringify(overlayPluginSource())})))`,
    )
    const proc = Bun.spawn(unprivileged([reachableBun(), script]), { stdout: "pipe", stderr: "pipe", cwd: tmpdir() })
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
    expect(await proc.exited, err).toBe(0)
    const { outcomes, warnings } = JSON.parse(out)
    expect(outcomes).toEqual([{ folder: global, plan: { kind: "read-only" } }])
    expect(warnings).toEqual([])
    expect(existsSync(join(global, "node_modules"))).toBe(false)
  })

  test("a link left by a moved overlay is made again", () => {
    const { project, env, global } = home()
    preparePluginFolders(project, env)
    rmSync(link(global))
    symlinkSync(join(global, "gone"), link(global))
    expect(existsSync(link(global))).toBe(false)
    expect(preparePluginFolders(project, env).outcomes[0]?.plan.kind).toBe("ready")
    expect(existsSync(join(link(global), "package.json"))).toBe(true)
  })

  test("the user's own uninstalled dependencies: nothing written, and the user is told", () => {
    const { project, env, global } = home()
    mkdirSync(global, { recursive: true })
    const manifest = `{ "dependencies": { "my-plugin": "2.0.0" } }\n`
    writeFileSync(join(global, "package.json"), manifest)
    const { outcomes, warnings } = preparePluginFolders(project, env)
    expect(outcomes[0]?.plan.kind).toBe("leave")
    expect(warnings[0]).toContain("my-plugin is not installed yet")
    expect(readFileSync(join(global, "package.json"), "utf8")).toBe(manifest)
    expect(existsSync(join(global, "node_modules"))).toBe(false)
    expect(lstatSync(join(global, "package-lock.json"), { throwIfNoEntry: false })).toBeUndefined()
  })
})
