/**
 * Drives a terminal program (the runtime's TUI) in tmux: a private tmux
 * server per instance (`-L <socket>`, no user config), keys in with
 * `send-keys`, the screen out with `capture-pane`. `waitFor` polls the screen
 * with a deadline instead of sleeping, so slow machines only make tests slower.
 * `kill` stops the server and with it the program; it is safe to call twice.
 */
import { randomBytes } from "node:crypto"
import { rmSync } from "node:fs"
import type { Sandbox, Via } from "./sandbox.ts"

export const TMUX: string | null = Bun.which("tmux")

export type TmuxOptions = {
  /** The program and its arguments. */
  readonly command: ReadonlyArray<string>
  readonly cwd: string
  /** The complete environment of the program (tmux passes its own on to the pane). */
  readonly env: Record<string, string>
  readonly width?: number
  readonly height?: number
  /** Send the program's stderr to this file instead of the terminal. */
  readonly stderrFile?: string
}

export type WaitOptions = { readonly timeoutMs?: number; readonly intervalMs?: number }

/** `'…'` for sh, whatever the text holds. */
export const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

export class Tmux implements AsyncDisposable {
  private killed = false
  private socketPath: string | undefined

  private constructor(
    readonly socket: string,
    private readonly env: Record<string, string>,
    readonly target = "main",
  ) {}

  static available(): boolean {
    return TMUX !== null
  }

  static async start(options: TmuxOptions): Promise<Tmux> {
    if (!TMUX) throw new Error("tmux is not installed")
    const socket = `overlay-test-${process.pid}-${randomBytes(4).toString("hex")}`
    // The pane's program keeps the environment it was given; TERM says what tmux emulates.
    const env = { ...options.env, TERM: "xterm-256color" }
    const command = [
      "exec env TERM=xterm-256color",
      ...options.command.map(shellQuote),
      ...(options.stderrFile ? [`2>${shellQuote(options.stderrFile)}`] : []),
    ].join(" ")
    const tmux = new Tmux(socket, env)
    await tmux.tmux([
      "new-session",
      "-d",
      "-s",
      tmux.target,
      "-x",
      String(options.width ?? 160),
      "-y",
      String(options.height ?? 50),
      "-c",
      options.cwd,
      command,
      ";",
      "set-option",
      "-g",
      "remain-on-exit",
      "on",
    ])
    tmux.socketPath = (await tmux.tmux(["display-message", "-p", "#{socket_path}"]).catch(() => "")).trim() || undefined
    return tmux
  }

  /** Runs a tmux command on this instance's server; throws with tmux's words when it fails. */
  async tmux(args: ReadonlyArray<string>): Promise<string> {
    const proc = Bun.spawn([TMUX!, "-L", this.socket, "-f", "/dev/null", ...args], {
      env: this.env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    })
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    if (code !== 0) throw new Error(`tmux ${args[0]} failed (${code}): ${stderr.trim()}`)
    return stdout
  }

  /** The visible screen, one line per row, trailing spaces removed. */
  async screen(): Promise<string> {
    const text = await this.tmux(["capture-pane", "-p", "-t", this.target])
    return text
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
  }

  /** Types text as it is (no key names). */
  async type(text: string): Promise<void> {
    await this.tmux(["send-keys", "-t", this.target, "-l", text])
  }

  /** Presses keys by tmux name (`Enter`, `Escape`, `C-x`, `Up`), one after the other. */
  async press(...keys: ReadonlyArray<string>): Promise<void> {
    for (const key of keys) {
      await this.tmux(["send-keys", "-t", this.target, key])
      await Bun.sleep(60)
    }
  }

  /** Polls the screen until `check` holds; throws with the last screen when the deadline passes. */
  async waitFor(what: string, check: (screen: string) => boolean, options: WaitOptions = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    let screen = ""
    while (true) {
      screen = await this.screen().catch((e: Error) => `(no screen: ${e.message})`)
      if (check(screen)) return screen
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`)
      await Bun.sleep(options.intervalMs ?? 200)
    }
  }

  /** Waits until the screen has stopped changing for `quietMs` (a menu done filtering). */
  async settle(quietMs = 600, options: WaitOptions = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000)
    let last = await this.screen()
    let since = Date.now()
    while (Date.now() < deadline) {
      await Bun.sleep(150)
      const next = await this.screen()
      if (next !== last) {
        last = next
        since = Date.now()
      } else if (Date.now() - since >= quietMs) return last
    }
    return last
  }

  /** Stops the tmux server, and with it every program in it. */
  async kill(): Promise<void> {
    if (this.killed) return
    this.killed = true
    await this.tmux(["kill-server"]).catch(() => {})
    // tmux leaves its socket file behind.
    if (this.socketPath) rmSync(this.socketPath, { force: true })
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill()
  }
}

// ------------------------------------------------------------ the runtime's TUI

/** The runtime's TUI for a sandbox, in tmux: through the overlay unless `via: "bare"`. */
export async function startTui(
  sandbox: Sandbox,
  args: ReadonlyArray<string>,
  options: { readonly via?: Via; readonly env?: Record<string, string | undefined>; readonly stderrFile?: string } = {},
): Promise<Tmux> {
  const tui = await Tmux.start({
    command: sandbox.command(args, options.via),
    cwd: sandbox.project,
    env: sandbox.env(options.env, options.via),
    ...(options.stderrFile ? { stderrFile: options.stderrFile } : {}),
  })
  try {
    // The status bar's hint shows once the TUI has drawn its first screen.
    await tui.waitFor("the TUI to start", (s) => s.includes("ctrl+p commands"), { timeoutMs: 90_000 })
  } catch (error) {
    await tui.kill()
    throw error
  }
  return tui
}

/**
 * The text in the prompt box: its rows above the "agent · model" row, as far
 * as the box is wide (the sidebar may share those lines); `undefined` where
 * no prompt box shows.
 */
export function promptText(screen: string): string | undefined {
  const lines = screen.split("\n")
  const bottom = lines.findLastIndex((l) => /^\s*╹▀/.test(l))
  if (bottom < 1) return undefined
  const width = lines[bottom]!.lastIndexOf("▀") + 1
  const rows: string[] = []
  for (let i = bottom - 2; i >= 0; i--) {
    const row = lines[i]!.slice(0, width)
    // The box's rows start with its bar; a menu above it has rows closed on the right too.
    if (!/^\s*┃/.test(row) || /┃.*┃\s*$/.test(row)) break
    rows.unshift(row.replace(/^\s*┃/, "").trim())
  }
  return rows.join("\n").trim()
}

/** A slash menu, the command palette or a dialog is open (they show `esc` at their top right). */
export const layerOpen = (screen: string): boolean => slashEntries(screen).length > 0 || /\besc\s*$/m.test(screen)

/**
 * Closes whatever menu, palette or dialog is open and empties the prompt,
 * each key sent once the screen shows the last one took effect. (An Escape
 * the TUI reads together with the next key is Alt+that key: on a busy
 * machine, a fixed pause between them is not enough.)
 */
export async function resetPrompt(tui: Tmux): Promise<void> {
  for (let attempt = 1; layerOpen(await tui.screen()); attempt++) {
    if (attempt > 5) throw new Error(`Escape did not close what is open; the screen was:\n${await tui.screen()}`)
    await tui.press("Escape")
    await tui.waitFor("what was open to close", (s) => !layerOpen(s), { timeoutMs: 5_000 }).catch(() => {})
  }
  const text = promptText(await tui.screen())
  if (text === "") return
  await tui.press("C-u")
  if (text === undefined) await tui.settle(300)
  else await tui.waitFor("an empty prompt", (s) => promptText(s) === "")
}

export type SlashEntry = { readonly slash: string; readonly description: string }

/** The rows of the `/` autocomplete menu: `┃ /name   description ┃`. */
export function slashEntries(screen: string): SlashEntry[] {
  const out: SlashEntry[] = []
  for (const line of screen.split("\n")) {
    const match = /┃ (\/[^\s┃]+)\s+(.*?)\s*┃$/.exec(line)
    if (match) out.push({ slash: match[1]!, description: match[2]! })
  }
  return out
}

/**
 * The message of the toast titled `title`, its wrapped lines joined (a path
 * wraps inside the toast's box; it holds no spaces, so nothing is lost).
 */
export function toastMessage(screen: string, title: string): string | undefined {
  const lines = screen.split("\n")
  const at = lines.findIndex((l) => l.includes(title))
  if (at === -1) return undefined
  const titleLine = lines[at]!
  const column = titleLine.indexOf(title)
  const left = titleLine.lastIndexOf("┃", column)
  const right = titleLine.indexOf("┃", column + title.length)
  if (left === -1) return undefined
  const parts: string[] = []
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line[left] !== "┃") break
    parts.push(line.slice(left + 1, right === -1 ? undefined : right).trim())
  }
  return parts.join("")
}
