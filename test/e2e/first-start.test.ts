/**
 * A new user's first start, in fresh homes (nothing installed in the config
 * folder), with the package registry replaced by a local stand-in that counts
 * requests: the TUI, `run`, `serve` and `attach` through the overlay are ready
 * and ask the registry nothing. The control shows that the bare runtime, in
 * the same kind of home, does ask it: the count would have seen a request.
 * Timings live in BENCHMARKS.md (scripts/bench/first-start.ts), not here.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { startCountingRegistry, type CountingRegistry } from "../support/registry.ts"
import { createSandbox, REPO_ROOT, RUNTIME, type Sandbox } from "../support/sandbox.ts"
import { slashEntries, startTui, Tmux } from "../support/tmux.ts"

setDefaultTimeout(120_000)

let registry: CountingRegistry
beforeAll(() => {
  registry = startCountingRegistry()
})
afterAll(() => registry.stop())

const offline = () => ({ npm_config_registry: registry.url })

/** Requests the registry received while `fn` ran. */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; requests: string[] }> {
  const before = registry.requests.length
  const value = await fn()
  // An install the runtime started in the background would have asked by now.
  await Bun.sleep(1500)
  return { value, requests: registry.requests.slice(before) }
}

/** The environments of the runtime processes the sandbox has running (Linux /proc). */
function runtimeEnvironments(sandbox: Sandbox): string[][] {
  return sandbox
    .livePids()
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0")[0] === RUNTIME.binary
      } catch {
        return false
      }
    })
    .map((pid) => readFileSync(`/proc/${pid}/environ`, "latin1").split("\0"))
}

describe("first start in a new home: nothing waits for the package registry", () => {
  test("serve: ready, and the registry is asked nothing", async () => {
    await using sandbox = await createSandbox({ prefix: "first-serve-" })
    const { value: status, requests } = await counted(async () => {
      const server = await sandbox.serve({ env: offline() })
      const res = await fetch(`${server.url}/session`, { signal: AbortSignal.timeout(30_000) })
      // The runtime behind it stays the pinned one: its self-update is off.
      const runtimes = runtimeEnvironments(sandbox)
      expect(runtimes).toHaveLength(1)
      expect(runtimes[0]).toContain("OPENCODE_DISABLE_AUTOUPDATE=1")
      await server.stop()
      return res.status
    })
    expect(status).toBe(200)
    expect(requests).toEqual([])
    const global = join(sandbox.configDir, "opencode")
    expect(JSON.parse(readFileSync(join(global, "package.json"), "utf8")).dependencies["@opencode-ai/plugin"]).toBe("1.18.33")
    expect(existsSync(join(global, "node_modules", "@opencode-ai", "plugin", "package.json"))).toBe(true)
  })

  test("run: the answer arrives, and the registry is asked nothing", async () => {
    await using sandbox = await createSandbox({ prefix: "first-run-" })
    const { value: result, requests } = await counted(() =>
      sandbox.prompt("say hello", [turn.text("Hello from a fresh home.")], { env: offline() }),
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Hello from a fresh home.")
    expect(requests).toEqual([])
  })

  test.skipIf(!Tmux.available())("the TUI, and attach to the overlay's server: both start with /export ours, the registry asked nothing", async () => {
    await using sandbox = await createSandbox({ prefix: "first-tui-" })
    const { requests } = await counted(async () => {
      const tui = await startTui(sandbox, [], { env: offline() })
      try {
        await tui.type("/exp")
        const menu = await tui.waitFor("the slash menu", (s) => slashEntries(s).some((e) => e.slash === "/export"))
        // The runtime's own entry reads "Export session transcript"; ours loaded before the TUI drew.
        expect(slashEntries(menu).find((e) => e.slash === "/export")?.description).toStartWith("Write a local Markdown or JSON log")
        const runtimes = runtimeEnvironments(sandbox)
        expect(runtimes.length).toBeGreaterThan(0)
        for (const env of runtimes) expect(env).toContain("OPENCODE_DISABLE_AUTOUPDATE=1")
      } finally {
        await tui.kill()
      }
      const server = await sandbox.serve({ env: offline() })
      const attached = await startTui(sandbox, ["attach", server.url], { env: offline() })
      await attached.kill()
      await server.stop()
    })
    expect(requests).toEqual([])
  })

  test("the user's own config folder: their dependencies and plugin are kept and still load", async () => {
    await using sandbox = await createSandbox({ prefix: "first-own-" })
    const global = join(sandbox.configDir, "opencode")
    // What a user who installed a package for their own plugin has there.
    mkdirSync(join(global, "node_modules"), { recursive: true })
    mkdirSync(join(global, "plugin"), { recursive: true })
    symlinkSync(join(REPO_ROOT, "node_modules", "jsonc-parser"), join(global, "node_modules", "jsonc-parser"))
    const manifest = `{\n    "name": "my-opencode-config",\n    "dependencies": {\n        "jsonc-parser": "3.3.1"\n    }\n}\n`
    writeFileSync(join(global, "package.json"), manifest)
    writeFileSync(
      join(global, "package-lock.json"),
      JSON.stringify({ lockfileVersion: 3, requires: true, packages: { "": { dependencies: { "jsonc-parser": "3.3.1" } } } }),
    )
    const marker = join(sandbox.root, "own-plugin-loaded")
    // The user's plugin uses both their own dependency and the runtime's plugin package.
    writeFileSync(
      join(global, "plugin", "mine.ts"),
      `import { tool } from "@opencode-ai/plugin"
import { parse } from "jsonc-parser"
export const Mine = async () => {
  await Bun.write(${JSON.stringify(marker)}, String(typeof tool === "function" && parse("{ a: 1 }") !== undefined))
  return {}
}
`,
    )
    const { value: result, requests } = await counted(() => sandbox.prompt("hi", [turn.text("Hi.")], { env: offline() }))
    expect(result.code).toBe(0)
    expect(requests).toEqual([])
    expect(readFileSync(marker, "utf8")).toBe("true")
    const written = JSON.parse(readFileSync(join(global, "package.json"), "utf8"))
    expect(written).toEqual({ name: "my-opencode-config", dependencies: { "jsonc-parser": "3.3.1", "@opencode-ai/plugin": "1.18.33" } })
    expect(readFileSync(join(global, "package.json"), "utf8")).toContain(`\n    "name": "my-opencode-config",`)
    expect(existsSync(join(global, "node_modules", "jsonc-parser", "package.json"))).toBe(true)
  })

  test("control: the bare runtime in the same kind of home asks the registry", async () => {
    await using sandbox = await createSandbox({ prefix: "first-bare-" })
    const { requests } = await counted(async () => {
      const server = await sandbox.serve({ via: "bare", env: offline() })
      await fetch(`${server.url}/session`, { signal: AbortSignal.timeout(30_000) })
      await Bun.sleep(2000)
      await server.stop()
    })
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.join("\n")).toContain("@opencode-ai")
  })
})
