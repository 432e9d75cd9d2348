/**
 * The install artifact as a user gets it: `bun run pack` makes the tarball,
 * `npm install -g` puts it into a fresh prefix (Node.js's npm, the registry
 * for its dependencies: the pinned runtime and Bun), and the installed
 * `opencode` works on its own: --version, share status, a real session,
 * export, serve with the app at `/`, the TUI with the overlay's /export, and
 * upgrade/uninstall that change nothing. Upstream's global `opencode-ai`
 * cannot take over the overlay's bin: npm refuses to replace it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, REPO_ROOT, type Sandbox } from "../support/sandbox.ts"
import { slashEntries, startTui, Tmux } from "../support/tmux.ts"

setDefaultTimeout(180_000)

let work: string
let prefix: string
let bin: string
let sandbox: Sandbox

async function sh(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(argv, { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  return { code: await proc.exited, out: `${out}${err}` }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "overlay-install-"))
  const packed = await sh([process.execPath, join(REPO_ROOT, "scripts/pack.ts"), "--out", work], REPO_ROOT)
  expect(packed.code, packed.out).toBe(0)
  const tarball = join(work, "opencode-local-overlay-0.1.0.tgz")
  expect(existsSync(tarball)).toBe(true)
  prefix = join(work, "prefix")
  const installed = await sh(["npm", "install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", tarball], work)
  expect(installed.code, installed.out).toBe(0)
  bin = join(prefix, "bin", "opencode")
  sandbox = await createSandbox({ prefix: "installed-", overlayBin: bin, title: "Installed overlay" })
}, 300_000)

afterAll(async () => {
  await sandbox?.dispose()
  rmSync(work, { recursive: true, force: true })
})

describe("npm install -g of the packed overlay", () => {
  test("the installed opencode is the overlay, running the runtime and Bun it brought", async () => {
    expect(realpathSync(bin)).toBe(join(prefix, "lib", "node_modules", "opencode-local-overlay", "bin", "opencode"))
    const version = await sandbox.run(["--version"])
    expect(version.code).toBe(0)
    expect(version.stdout).toBe("opencode-local-overlay 0.1.0\nopencode-ai runtime 1.18.33\n")
    const manifest = JSON.parse(readFileSync(join(prefix, "lib/node_modules/opencode-local-overlay/package.json"), "utf8"))
    expect(manifest.dependencies["opencode-ai"]).toBe("1.18.33")
    expect(manifest.dependencies.bun).toBe("1.4.5")
    expect(existsSync(join(prefix, "lib/node_modules/opencode-local-overlay/npm-shrinkwrap.json"))).toBe(true)
    // It runs the bundle the package ships, not its sources.
    const traced = await sh(["sh", "-x", realpathSync(bin), "--version"], work)
    expect(traced.code, traced.out).toBe(0)
    expect(traced.out).toContain("/lib/node_modules/opencode-local-overlay/dist/index.js --version")
  })

  test("the team share server comes in the bundle: a member token is issued from the installed opencode", async () => {
    const manifest = JSON.parse(readFileSync(join(prefix, "lib/node_modules/opencode-local-overlay/package.json"), "utf8"))
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith("@local/"))).toEqual([])
    const made = await sandbox.run(["share-server", "token", "create", "--user", "ada@example.com"])
    expect([made.code, made.stderr]).toEqual([0, expect.stringContaining("for ada@example.com")])
    expect(made.stdout).toMatch(/^ocs_[A-Za-z0-9_-]{43}\n$/)
  })

  test("share status, a real session, and its export", async () => {
    const status = await sandbox.run(["share", "status"])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain("Sharing: disabled")
    const made = await sandbox.prompt("count to three", [turn.bash("seq 3", "Count"), turn.text("1, 2, 3.")])
    expect(made.code).toBe(0)
    const id = made.sessionIDs[0]!
    const out = join(sandbox.root, "log.md")
    const exported = await sandbox.run(["export", id, "-o", out])
    expect(exported.code).toBe(0)
    expect(exported.stdout.trim()).toBe(out)
    const text = readFileSync(out, "utf8")
    expect(text).toStartWith("# Installed overlay\n")
    expect(text).toContain("`bash`")
    expect(sandbox.capture.requests).toHaveLength(0)
  })

  test("serve answers the API, the runtime's web app at / with the overlay's export control, and the session logs at /logs/", async () => {
    const server = await sandbox.serve()
    try {
      const page = await fetch(`${server.url}/`)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toContain("text/html")
      const html = await page.text()
      const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]
      expect(script).toBeDefined()
      expect((await fetch(new URL(script!, server.url))).status).toBe(200)
      // The addition and the session-log browser come from the installed package's own build.
      const addon = html.match(/src="(\/logs\/addon\.js[^"]*)"/)?.[1]
      expect(await (await fetch(new URL(addon!, server.url))).text()).toContain("Export session log")
      const logs = await (await fetch(`${server.url}/logs/`)).text()
      const logsScript = logs.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1]
      expect((await fetch(`${server.url}/logs/${logsScript}`)).status).toBe(200)
      expect((await fetch(`${server.url}/session`)).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  test.skipIf(!Tmux.available())("the TUI starts with the overlay's /export", async () => {
    const tui = await startTui(sandbox, [])
    try {
      await tui.type("/exp")
      const menu = await tui.waitFor("the slash menu", (s) => slashEntries(s).some((e) => e.slash === "/export"))
      expect(slashEntries(menu).find((e) => e.slash === "/export")?.description).toStartWith("Write a local Markdown or JSON log")
    } finally {
      await tui.kill()
    }
  })

  test("upgrade and uninstall explain and change nothing", async () => {
    for (const command of ["upgrade", "uninstall"]) {
      const result = await sandbox.run([command, "--force"])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`${command} is not run: this is opencode-local-overlay 0.1.0`)
      expect(result.stderr).toContain("npm ")
    }
    expect(existsSync(sandbox.databasePath)).toBe(true)
    expect((await sandbox.run(["--version"])).code).toBe(0)
  })

  test("upstream's npm install -g opencode-ai into the same prefix cannot replace the overlay's bin", async () => {
    // What the runtime's own autoupdate and `upgrade` run when they find npm.
    const upstream = await sh(["npm", "install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "opencode-ai@1.18.33"], work)
    expect(upstream.code).not.toBe(0)
    expect(upstream.out).toContain("EEXIST")
    expect(readlinkSync(bin)).toBe("../lib/node_modules/opencode-local-overlay/bin/opencode")
    expect((await sandbox.run(["--version"])).stdout).toStartWith("opencode-local-overlay 0.1.0\n")
  })
})
