import { afterAll, describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { SharePolicy } from "../../src/config/policy.ts"
import { LAUNCH_VARIABLE, TUI_CONFIG_FOLDER, TUI_PLUGIN_PATH } from "../../src/launch/constants.ts"
import { isPureStart, isTuiStart, prepareTuiLaunch, pureWarning } from "../../src/launch/tui.ts"
import { parseLaunchInfo, userEnvironment } from "../../src/launch/launch-info.ts"
import { overlayTuiConfig, pluginSpec, writeTuiConfig } from "../../src/launch/tui-config.ts"

const root = mkdtempSync(join(tmpdir(), "tui-launch-test-"))
afterAll(() => {
  chmodSync(root, 0o755)
  rmSync(root, { recursive: true, force: true })
})

const disabled: SharePolicy = { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] }
const manual: SharePolicy = { mode: "manual", source: { kind: "project", path: "/repo/opencode.json" }, overridden: [], problems: [] }
const SPEC = pluginSpec()

describe("isTuiStart", () => {
  test.each([
    [[], true],
    [["--session", "ses_1"], true],
    [["-s", "ses_1", "--pure"], true],
    [["."], true],
    [["some/project"], true],
    [["attach", "http://127.0.0.1:4096"], true],
    [["pr", "12"], true],
    [["run", "hi"], false],
    [["serve", "--port", "0"], false],
    [["export", "ses_1"], false],
    [["session", "list"], false],
    [["--help"], false],
    [["-v"], false],
    [["--mini"], true],
    [["run", "--", "--help"], false],
  ] as Array<[string[], boolean]>)("%j -> %p", (argv, expected) => {
    expect(isTuiStart(argv)).toBe(expected)
  })
})

test("isPureStart: the flag or OPENCODE_PURE", () => {
  expect(isPureStart(["--pure"], {})).toBe(true)
  expect(isPureStart([], { OPENCODE_PURE: "1" })).toBe(true)
  expect(isPureStart([], { OPENCODE_PURE: "true" })).toBe(true)
  expect(isPureStart([], { OPENCODE_PURE: "0" })).toBe(false)
  expect(isPureStart(["run", "--", "--pure"], {})).toBe(false)
})

test("pureWarning names what --pure leaves in place, the redacted alternative, and the share policy", () => {
  const text = pureWarning(disabled)
  expect(text.startsWith("opencode: --pure loads no plugins, so the TUI's /export is the runtime's own unredacted transcript")).toBe(true)
  expect(text).toContain("opencode export <sessionID>")
  expect(text).toContain("Sharing stays disabled (default)")
  expect(text.endsWith("\n")).toBe(true)
  expect(pureWarning(manual)).toContain("Sharing: manual (from /repo/opencode.json).")
})

describe("overlayTuiConfig", () => {
  test("without a user file: only the plugin", () => {
    const { text, problem } = overlayTuiConfig(SPEC)
    expect(problem).toBeUndefined()
    expect(JSON.parse(text)).toEqual({ $schema: "https://opencode.ai/tui.json", plugin: [SPEC] })
    expect(SPEC).toBe(pathToFileURL(TUI_PLUGIN_PATH).href)
    expect(TUI_PLUGIN_PATH.endsWith("/src/tui/plugin.ts")).toBe(true)
  })

  test("keeps a user's OPENCODE_TUI_CONFIG, its relative paths made absolute against that file", () => {
    const user = {
      path: "/home/u/cfg/tui.jsonc",
      text: `{
        // comments are fine
        "theme": "nord",
        "keybinds": { "leader": "ctrl+a" },
        "plugin": ["./mine.ts", ["../other.ts", { "a": 1 }], "npm-plugin@1", "file:///abs/p.ts", "/abs/q.ts"],
        "attention": { "sounds": { "done": "./ding.wav", "error": "/abs/err.wav" } },
        "note": "{file:./note.txt} {file:/abs/x} {file:~/y}",
      }`,
    }
    const config = JSON.parse(overlayTuiConfig(SPEC, user).text)
    expect(config.theme).toBe("nord")
    expect(config.keybinds).toEqual({ leader: "ctrl+a" })
    expect(config.plugin).toEqual([
      "file:///home/u/cfg/mine.ts",
      ["file:///home/u/other.ts", { a: 1 }],
      "npm-plugin@1",
      "file:///abs/p.ts",
      "/abs/q.ts",
      SPEC,
    ])
    expect(config.attention.sounds).toEqual({ done: "/home/u/cfg/ding.wav", error: "/abs/err.wav" })
    expect(config.note).toBe("{file:/home/u/cfg/note.txt} {file:/abs/x} {file:~/y}")
  })

  test("a user file that does not parse is reported and left out", () => {
    const result = overlayTuiConfig(SPEC, { path: "/u/tui.json", text: '{ "plugin": [' })
    expect(result.problem).toMatch(/^\/u\/tui\.json:1:\d+: /)
    expect(JSON.parse(result.text).plugin).toEqual([SPEC])
  })

  test("a nested launch (our own file passed on) never lists the plugin twice", () => {
    const first = overlayTuiConfig(SPEC, { path: "/u/tui.json", text: '{ "plugin": ["./a.ts"] }' })
    const again = overlayTuiConfig(SPEC, { path: "/cache/tui-x.json", text: first.text })
    expect(again.text).toBe(first.text)
  })
})

describe("writeTuiConfig", () => {
  test("content-addressed and atomic: same text, same file; no temporary file left", () => {
    const folder = join(root, "cache-a")
    const a = writeTuiConfig('{"plugin":[]}\n', [folder])
    const b = writeTuiConfig('{"plugin":[]}\n', [folder])
    const c = writeTuiConfig('{"plugin":["x"]}\n', [folder])
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(readFileSync(a, "utf8")).toBe('{"plugin":[]}\n')
    expect(readdirSync(folder).sort()).toEqual([a, c].map((p) => p.slice(folder.length + 1)).sort())
  })

  test("falls back to the next folder when one cannot be written, and throws when none can", () => {
    const locked = join(root, "locked")
    mkdirSync(locked)
    writeFileSync(join(locked, "not-a-folder"), "")
    const fallback = join(root, "fallback")
    const path = writeTuiConfig("{}\n", [join(locked, "not-a-folder", "sub"), fallback])
    expect(path.startsWith(fallback)).toBe(true)
    expect(() => writeTuiConfig("{}\n", [join(locked, "not-a-folder", "sub")])).toThrow()
  })
})

describe("prepareTuiLaunch", () => {
  const env = (extra: Record<string, string> = {}) => ({ HOME: join(root, "home"), XDG_CACHE_HOME: join(root, "xdg-cache"), ...extra })

  test("not a TUI: the environment is left as it is", () => {
    const base = env()
    expect(prepareTuiLaunch(["run", "hi"], base, disabled, "/p")).toEqual({ env: base, warnings: [] })
  })

  test("a TUI start: OPENCODE_TUI_CONFIG names the overlay's tui.json in the user's cache; the policy goes along", () => {
    const result = prepareTuiLaunch(["--session", "ses_1"], env({ KEEP: "1" }), disabled, "/p", env({ KEEP: "1" }))
    expect(result.warnings).toEqual([])
    expect(result.env.KEEP).toBe("1")
    const path = result.env.OPENCODE_TUI_CONFIG!
    expect(path.startsWith(join(root, "xdg-cache", TUI_CONFIG_FOLDER, "tui-"))).toBe(true)
    expect(JSON.parse(readFileSync(path, "utf8")).plugin).toEqual([SPEC])
    expect(parseLaunchInfo(result.env[LAUNCH_VARIABLE])).toMatchObject({ directory: "/p", policy: disabled })
  })

  test("the TUI can give its subprocesses the user's own environment back", () => {
    const original = env({ OPENCODE_CONFIG_CONTENT: '{"model":"a/b"}', OPENCODE_AUTO_SHARE: "1", KEEP: "1" })
    // What the share guard's launch environment does to it:
    const launched = { ...original, OPENCODE_CONFIG_CONTENT: '{"model":"a/b","share":"disabled"}', OPENCODE_DISABLE_SHARE: "1" } as Record<string, string | undefined>
    delete launched.OPENCODE_AUTO_SHARE
    const result = prepareTuiLaunch([], launched, disabled, "/p", original)
    // …and what the runtime adds for the processes it starts:
    const inRuntime = { ...result.env, OPENCODE: "1", OPENCODE_PID: "42" }
    expect(userEnvironment(inRuntime)).toEqual(original)
    // Without the launcher's word, the environment stays as it is.
    expect(userEnvironment({ A: "1" })).toEqual({ A: "1" })
  })

  test("the user's own OPENCODE_TUI_CONFIG is carried into ours (relative to the working directory)", () => {
    const cwd = join(root, "work")
    mkdirSync(cwd, { recursive: true })
    writeFileSync(join(cwd, "my-tui.json"), '{ "theme": "nord", "plugin": ["./mine.ts"] }')
    const own = env({ OPENCODE_TUI_CONFIG: "my-tui.json" })
    const result = prepareTuiLaunch([], own, disabled, cwd, own, cwd)
    const config = JSON.parse(readFileSync(result.env.OPENCODE_TUI_CONFIG!, "utf8"))
    expect(config.theme).toBe("nord")
    expect(config.plugin).toEqual([pathToFileURL(join(cwd, "mine.ts")).href, SPEC])
    const none = env({ OPENCODE_TUI_CONFIG: "nope.json" })
    const missing = prepareTuiLaunch([], none, disabled, cwd, none, cwd)
    expect(missing.warnings.join("")).toContain("cannot be read")
    expect(JSON.parse(readFileSync(missing.env.OPENCODE_TUI_CONFIG!, "utf8")).plugin).toEqual([SPEC])
  })

  test("--pure: nothing added (plugins would not load), and a warning for stderr", () => {
    const base = env()
    const result = prepareTuiLaunch(["--pure"], base, disabled, "/p")
    expect(result.env).toEqual(base)
    expect(result.warnings).toEqual([pureWarning(disabled)])
  })
})
