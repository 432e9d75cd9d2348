import { afterEach, describe, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gitignoreText, isOurGitignore } from "../../src/session-log/gitignore.ts"
import { sessionLogSettings } from "../../src/session-log/settings.ts"
import { projectRoots } from "../../src/session-log/write.ts"

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A home with a config folder and a git project `repo` with a folder `repo/app` inside. */
function world() {
  const root = mkdtempSync(join(tmpdir(), "session-log-"))
  made.push(root)
  const repo = join(root, "repo")
  mkdirSync(join(repo, ".git"), { recursive: true })
  mkdirSync(join(repo, "app"), { recursive: true })
  const env = { HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "config") }
  const write = (dir: string, value: unknown) => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "session-log.json"), typeof value === "string" ? value : JSON.stringify(value))
  }
  return { root, repo, env, user: (v: unknown) => write(join(env.XDG_CONFIG_HOME, "opencode"), v), project: (dir: string, v: unknown) => write(join(dir, ".opencode"), v) }
}

describe("session log settings", () => {
  test("off unless a file says enabled; the default folder is .opencode/history at the worktree root", () => {
    const w = world()
    expect(sessionLogSettings(join(w.repo, "app"), w.env).enabled).toBe(false)
    w.project(w.repo, { enabled: true })
    const on = sessionLogSettings(join(w.repo, "app"), w.env)
    expect(on).toMatchObject({ enabled: true, project: w.repo, folder: join(w.repo, ".opencode", "history"), commit: false, problems: [] })
  })

  test("the user's file turns it on everywhere; the nearest project file wins key by key", () => {
    const w = world()
    w.user({ enabled: true, folder: "logs" })
    expect(sessionLogSettings(w.repo, w.env)).toMatchObject({ enabled: true, folder: join(w.repo, "logs") })
    w.project(w.repo, { enabled: false })
    expect(sessionLogSettings(w.repo, w.env).enabled).toBe(false)
    w.project(join(w.repo, "app"), { enabled: true, commit: true })
    expect(sessionLogSettings(join(w.repo, "app"), w.env)).toMatchObject({ enabled: true, commit: true, folder: join(w.repo, "logs") })
  })

  test("a folder outside the project, a file that does not parse, an unknown key: off or ignored, with what is wrong", () => {
    const w = world()
    w.project(w.repo, { enabled: true, folder: "../elsewhere" })
    const outside = sessionLogSettings(w.repo, w.env)
    expect(outside.enabled).toBe(false)
    expect(outside.problems.join("\n")).toContain('"../elsewhere" is not inside the project')
    w.project(w.repo, { enabled: true, folder: "/tmp" })
    expect(sessionLogSettings(w.repo, w.env).enabled).toBe(false)
    w.project(w.repo, "{ enabled: ")
    const broken = sessionLogSettings(w.repo, w.env)
    expect(broken.enabled).toBe(false)
    expect(broken.problems[0]).toContain(join(w.repo, ".opencode", "session-log.json"))
    w.project(w.repo, { enabled: true, colour: "blue" })
    const unknown = sessionLogSettings(w.repo, w.env)
    expect(unknown.enabled).toBe(false)
    expect(unknown.problems[0]).toContain('unknown key "colour"')
  })

  test("outside a git repository the project is the folder itself, never the file system's root", () => {
    const w = world()
    const plain = join(w.root, "plain")
    w.project(plain, { enabled: true })
    expect(sessionLogSettings(plain, w.env)).toMatchObject({ enabled: true, project: plain, folder: join(plain, ".opencode", "history") })
  })
})

describe("the log folder's .gitignore", () => {
  test("ignores every log unless the project commits them; a project's own .gitignore is told apart", () => {
    expect(gitignoreText({ commit: false })).toContain("\n*\n!.gitignore\n")
    expect(gitignoreText({ commit: true })).not.toContain("\n*\n")
    expect(isOurGitignore(gitignoreText({ commit: true }))).toBe(true)
    expect(isOurGitignore("*.md\n")).toBe(false)
  })
})

describe("projectRoots", () => {
  const s = (id: string, directory: string, updated: number, parentID?: string) => ({
    id,
    slug: id,
    title: id,
    directory,
    ...(parentID ? { parentID } : {}),
    time: { created: 1, updated },
  })
  test("each root session of the project, updated when any session of its tree was; other projects left out", () => {
    const roots = projectRoots(
      [s("a", "/p", 10), s("a1", "/p", 50, "a"), s("a2", "/p", 20, "a1"), s("b", "/p/sub", 5), s("c", "/q", 99), s("d", "/p2", 7)],
      "/p",
    )
    expect(roots.map((r) => [r.root.id, r.updated])).toEqual([
      ["a", 50],
      ["b", 5],
    ])
  })
})
