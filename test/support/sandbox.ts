/**
 * An isolated home for the pinned runtime: HOME and every XDG folder in a temp
 * folder, a project whose `opencode.json` points the `mock` provider at the
 * mock LLM and the share host at the share-capture server. It runs the runtime
 * through the overlay (or bare, for control runs), reports the sessions a run
 * created, and on dispose stops every process it started (descendants too) and
 * removes its folder, whether the test passed or not.
 */
import { Database } from "bun:sqlite"
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { locateRuntime } from "../../packages/opencode/src/runtime/locate.ts"
import { startMockLLM, type MockLLM, type Turn } from "./mock-llm.ts"
import { startShareCapture, type ShareCapture } from "./share-capture.ts"

export const REPO_ROOT = resolve(import.meta.dir, "../..")
export const OVERLAY_BIN = join(REPO_ROOT, "packages/opencode/bin/opencode")
export const RUNTIME = Effect.runSync(locateRuntime())
export const MOCK_MODEL = "mock/mock-model"

/** Marks every process a sandbox starts, so dispose can find their descendants. */
const MARKER = "OVERLAY_TEST_SANDBOX"

export type Json = { readonly [key: string]: unknown }

export type SandboxOptions = {
  /** Merged over the generated project `opencode.json`. */
  readonly project?: Json
  /** Written as the global `$XDG_CONFIG_HOME/opencode/opencode.json` when given. */
  readonly global?: Json
  readonly title?: string
  /** Keep the folder after dispose (the demo does, to show where a session lives). */
  readonly keep?: boolean
  readonly prefix?: string
  /** The overlay's `opencode` to run (default: the workspace's bin); e.g. one installed from the tarball. */
  readonly overlayBin?: string
  /** The mock model's token limits; a turn reporting usage above them makes the runtime compact the session. */
  readonly modelLimit?: { readonly context: number; readonly output: number }
}

export type Via = "overlay" | "bare"

export type RunOptions = {
  readonly via?: Via
  readonly env?: Record<string, string | undefined>
  readonly cwd?: string
  readonly stdin?: string
  readonly timeoutMs?: number
}

export type RunResult = {
  readonly code: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
}

export type Server = {
  readonly url: string
  readonly process: Bun.Subprocess<"ignore", "pipe", "pipe">
  readonly stop: () => Promise<void>
}

export type PromptResult = RunResult & { readonly sessionIDs: ReadonlyArray<string> }

export class Sandbox implements AsyncDisposable {
  readonly home: string
  readonly dataDir: string
  readonly configDir: string
  readonly project: string
  private readonly background = new Set<Bun.Subprocess>()
  private disposed = false

  constructor(
    readonly root: string,
    readonly llm: MockLLM,
    readonly capture: ShareCapture,
    private readonly options: SandboxOptions,
  ) {
    this.home = join(root, "home")
    this.dataDir = join(root, "data")
    this.configDir = join(root, "config")
    this.project = join(root, "project")
    for (const dir of [this.home, this.dataDir, this.configDir, join(root, "cache"), join(root, "state"), this.project])
      mkdirSync(dir, { recursive: true })
    this.writeProjectConfig(options.project ?? {})
    if (options.global) this.writeGlobalConfig(options.global)
  }

  /** The runtime's database file in this home. */
  get databasePath(): string {
    return join(this.dataDir, "opencode", "opencode.db")
  }

  /** The project's `opencode.json`: mock provider, share host = capture server, plus `extra`. */
  writeProjectConfig(extra: Json, dir: string = this.project): void {
    const config = {
      $schema: "https://opencode.ai/config.json",
      provider: {
        mock: {
          npm: "@ai-sdk/openai-compatible",
          name: "Mock",
          options: { baseURL: this.llm.baseURL, apiKey: "mock-key" },
          models: {
            "mock-model": {
              name: "Mock Model",
              tool_call: true,
              reasoning: true,
              ...(this.options.modelLimit ? { limit: this.options.modelLimit } : {}),
            },
          },
        },
      },
      model: MOCK_MODEL,
      small_model: MOCK_MODEL,
      enterprise: { url: this.capture.url },
      ...extra,
    }
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "opencode.json"), `${JSON.stringify(config, null, 2)}\n`)
  }

  writeGlobalConfig(config: Json): void {
    const dir = join(this.configDir, "opencode")
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "opencode.json"), `${JSON.stringify(config, null, 2)}\n`)
  }

  /**
   * The administrator's folder of this sandbox (`OPENCODE_TEST_MANAGED_CONFIG_DIR`,
   * which the runtime reads in place of `/etc/opencode`): empty unless a test writes here.
   */
  get managedDir(): string {
    return join(this.root, "managed")
  }

  writeManagedConfig(config: Json): string {
    mkdirSync(this.managedDir, { recursive: true })
    const path = join(this.managedDir, "opencode.json")
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`)
    return path
  }

  /**
   * The environment of every process this sandbox starts. Bare runtimes (the
   * controls) get their self-update switched off here; through the overlay,
   * switching it off is the overlay's job, so the sandbox does not.
   */
  env(extra: Record<string, string | undefined> = {}, via: Via = "overlay"): Record<string, string> {
    const base: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      LANG: "C.UTF-8",
      TERM: process.env.TERM ?? "xterm-256color",
      TMPDIR: process.env.TMPDIR,
      HOME: this.home,
      XDG_DATA_HOME: this.dataDir,
      XDG_CONFIG_HOME: this.configDir,
      XDG_CACHE_HOME: join(this.root, "cache"),
      XDG_STATE_HOME: join(this.root, "state"),
      // Keep the runtime off the network: no model catalogue refresh.
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      // This machine's /etc/opencode is not the sandbox's: the runtime and the overlay read this folder instead.
      OPENCODE_TEST_MANAGED_CONFIG_DIR: this.managedDir,
      ...(via === "bare" ? { OPENCODE_DISABLE_AUTOUPDATE: "1" } : {}),
      [MARKER]: this.root,
      ...extra,
    }
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v
    return env
  }

  command(args: ReadonlyArray<string>, via: Via = "overlay"): string[] {
    return via === "overlay" ? [this.options.overlayBin ?? OVERLAY_BIN, ...args] : [RUNTIME.binary, ...args]
  }

  /** Runs a command to completion and captures its output. */
  async run(args: ReadonlyArray<string>, options: RunOptions = {}): Promise<RunResult> {
    const proc = Bun.spawn(this.command(args, options.via), {
      cwd: options.cwd ?? this.project,
      env: this.env(options.env, options.via),
      stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
      stdout: "pipe",
      stderr: "pipe",
    })
    this.background.add(proc)
    const timeoutMs = options.timeoutMs ?? 90_000
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      proc.kill("SIGKILL")
    }, timeoutMs)
    try {
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
      await proc.exited
      if (timedOut) throw new Error(`timed out after ${timeoutMs} ms: ${args.join(" ")}\n${stderr}`)
      return { code: proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode), stdout, stderr }
    } finally {
      clearTimeout(timer)
      this.background.delete(proc)
    }
  }

  /** Runs the runtime in the background (a server, a TUI); stopped on dispose. */
  spawn(args: ReadonlyArray<string>, options: RunOptions = {}): Bun.Subprocess<"ignore", "pipe", "pipe"> {
    const proc = Bun.spawn(this.command(args, options.via), {
      cwd: options.cwd ?? this.project,
      env: this.env(options.env, options.via),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    })
    this.background.add(proc)
    return proc
  }

  /** `opencode serve` on a free port, of loopback unless `args` name a `--hostname`; resolves once it listens. Stopped on dispose. */
  async serve(options: RunOptions & { args?: ReadonlyArray<string> } = {}): Promise<Server> {
    const args = options.args ?? []
    const proc = this.spawn(["serve", "--port", "0", ...(args.includes("--hostname") ? [] : ["--hostname", "127.0.0.1"]), ...args], options)
    const reader = proc.stdout.getReader()
    let seen = ""
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    while (Date.now() < deadline) {
      const { value, done } = await reader.read()
      if (done) break
      seen += new TextDecoder().decode(value)
      const url = seen.match(/https?:\/\/[^\s/]+:\d+/)?.[0]
      if (url) {
        reader.releaseLock()
        return {
          url,
          process: proc,
          stop: async () => {
            proc.kill("SIGTERM")
            await proc.exited
          },
        }
      }
    }
    proc.kill("SIGKILL")
    throw new Error(`opencode serve did not start: ${seen}${await new Response(proc.stderr).text()}`)
  }

  /**
   * `opencode run -m mock/mock-model <message>` with the mock LLM scripted to
   * answer `turns`; returns the ids of the sessions this run created.
   */
  async prompt(message: string, turns: ReadonlyArray<Turn>, options: RunOptions & { args?: ReadonlyArray<string> } = {}) {
    this.llm.script(...turns)
    const before = new Set(this.sessionIDs())
    const result = await this.run(["run", "-m", MOCK_MODEL, ...(options.args ?? []), message], options)
    const sessionIDs = this.sessionIDs().filter((id) => !before.has(id))
    return { ...result, sessionIDs } satisfies PromptResult
  }

  /** Session ids in the runtime's database, oldest first. */
  sessionIDs(): string[] {
    if (!existsSync(this.databasePath)) return []
    const db = this.database()
    try {
      return db
        .query<{ id: string }, []>("select id from session order by time_created, id")
        .all()
        .map((r) => r.id)
    } finally {
      db.close()
    }
  }

  /** The runtime's database, read-only. Close it when done. */
  database(): Database {
    return new Database(this.databasePath, { readonly: true })
  }

  /** Processes still alive that this sandbox started, directly or not. */
  livePids(): number[] {
    return processesMarkedWith(this.root)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    for (const proc of this.background) proc.kill("SIGTERM")
    await Promise.race([Promise.all([...this.background].map((p) => p.exited)), Bun.sleep(3000)])
    // Descendants the runtime left (tool shells, servers) carry the marker too.
    for (let attempt = 0; attempt < 20; attempt++) {
      const pids = processesMarkedWith(this.root)
      if (pids.length === 0) break
      for (const pid of pids) {
        try {
          process.kill(pid, attempt < 5 ? "SIGTERM" : "SIGKILL")
        } catch {}
      }
      await Bun.sleep(100)
    }
    await Promise.all([this.llm.stop(), this.capture.stop()])
    if (!this.options.keep) rmSync(this.root, { recursive: true, force: true })
    undisposed.delete(this.root)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose()
  }
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? "overlay-test-"))
  const [llm, capture] = await Promise.all([startMockLLM({ title: options.title }), startShareCapture()])
  if (!options.keep) undisposed.add(root)
  return new Sandbox(root, llm, capture, options)
}

/**
 * Roots of sandboxes not disposed yet. A test that times out is abandoned
 * without unwinding its `finally` or `await using`; when the test process
 * exits, whatever those sandboxes left running is killed and their folders go.
 */
const undisposed = new Set<string>()
process.on("exit", () => {
  for (const root of undisposed) {
    for (const pid of processesMarkedWith(root)) {
      try {
        process.kill(pid, "SIGKILL")
      } catch {}
    }
    rmSync(root, { recursive: true, force: true })
  }
})

/** Pids whose environment names this sandbox (Linux: /proc/<pid>/environ). */
function processesMarkedWith(root: string): number[] {
  if (!existsSync("/proc")) return []
  const needle = `${MARKER}=${root}\0`
  const pids: number[] = []
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      if (`${readFileSync(`/proc/${pid}/environ`, "latin1")}\0`.includes(needle)) pids.push(pid)
    } catch {}
  }
  return pids
}
