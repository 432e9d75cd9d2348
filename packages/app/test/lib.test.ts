/** The app's pure helpers (the DOM parts are covered in a real browser by test/e2e/app.test.ts). */
import { describe, expect, test } from "bun:test"
import { listCommands } from "../../opencode/src/session-command/registry.ts"
import { exportUrl, fileNameFrom } from "../src/lib/api.ts"
import { EXPORT_LABEL, exportLabel } from "../src/lib/commands.ts"
import { debounce, eventSessionID, sessionTracker } from "../src/lib/events.ts"
import { relativeTime, shortDirectory } from "../src/lib/format.ts"
import { sessionFromHash, sessionHref } from "../src/lib/route.ts"
import { groupByProject, matches } from "../src/lib/search.ts"
import type { SessionListItem } from "../src/lib/types.ts"

const session = (id: string, updated: number, directory: string, project = { id: "p1", name: "api", worktree: "/work/api" }): SessionListItem => ({
  id,
  title: `Session ${id}`,
  directory,
  project,
  created: updated - 1000,
  updated,
  messages: 2,
  children: 0,
  published: null,
})

describe("search and grouping", () => {
  const a = session("a", 300, "/work/api")
  const b = session("b", 100, "/work/api/web")
  const global = { id: "global", name: "", worktree: "/" }
  const c = session("c", 200, "/tmp/scratch", global)
  const d = session("d", 50, "/tmp/other", global)

  test("every word must appear in the title, the directory or the project name, in any case", () => {
    expect(matches(a, "")).toBe(true)
    expect(matches(a, "SESSION a")).toBe(true)
    expect(matches(b, "api web")).toBe(true)
    expect(matches(b, "api mobile")).toBe(false)
  })

  test("groups by project, newest first; sessions outside a repository group by directory", () => {
    const groups = groupByProject([b, d, a, c])
    expect(groups.map((g) => [g.name, g.sessions.map((s) => s.id)])).toEqual([
      ["api", ["a", "b"]],
      ["scratch", ["c"]],
      ["other", ["d"]],
    ])
  })

  test("directories are shown relative to their worktree", () => {
    expect(shortDirectory("/work/api", "/work/api")).toBe("project root")
    expect(shortDirectory("/work/api/web", "/work/api")).toBe("web")
    expect(shortDirectory("/elsewhere", "/work/api")).toBe("/elsewhere")
  })
})

describe("events", () => {
  test("the session an event is about, wherever the runtime put it", () => {
    expect(eventSessionID({ type: "message.updated", properties: { info: { id: "msg_1", sessionID: "ses_1" } } })).toBe("ses_1")
    expect(eventSessionID({ type: "message.part.updated", properties: { part: { sessionID: "ses_2" } } })).toBe("ses_2")
    expect(eventSessionID({ type: "session.status", properties: { sessionID: "ses_3", status: { type: "idle" } } })).toBe("ses_3")
    expect(eventSessionID({ type: "session.updated", properties: { info: { id: "ses_4" } } })).toBe("ses_4")
    expect(eventSessionID({ payload: { type: "session.idle", properties: { sessionID: "ses_5" } } })).toBe("ses_5")
    expect(eventSessionID({ type: "server.connected", properties: {} })).toBeUndefined()
    expect(eventSessionID("nonsense")).toBeUndefined()
  })

  test("a subagent's events count for the session that started it", () => {
    const track = sessionTracker()
    expect(track({ type: "session.created", properties: { info: { id: "ses_child", parentID: "ses_parent" } } })).toBe("ses_parent")
    expect(track({ type: "message.part.updated", properties: { part: { sessionID: "ses_child" } } })).toBe("ses_parent")
    expect(track({ type: "session.created", properties: { info: { id: "ses_grandchild", parentID: "ses_child" } } })).toBe("ses_parent")
    expect(track({ type: "message.updated", properties: { info: { sessionID: "ses_other" } } })).toBe("ses_other")
  })

  test("debounce: trailing, but fires at least every maxWait while calls keep coming", async () => {
    let calls = 0
    const fn = debounce(() => calls++, 40, 100)
    const start = Date.now()
    while (Date.now() - start < 250) {
      fn()
      await Bun.sleep(10)
    }
    expect(calls).toBeGreaterThanOrEqual(2)
    const before = calls
    fn()
    fn.cancel()
    await Bun.sleep(60)
    expect(calls).toBe(before)
  })
})

describe("export requests", () => {
  test("Markdown carries the chosen options; JSON is lossless and carries none", () => {
    expect(exportUrl("ses_1", { format: "markdown", thinking: true, toolDetails: false, diffs: true })).toBe(
      "/overlay/session/ses_1/export?format=markdown&thinking=1&diffs=1",
    )
    expect(exportUrl("ses/../x", { format: "json", thinking: true, toolDetails: true, diffs: true })).toBe(
      "/overlay/session/ses%2F..%2Fx/export?format=json",
    )
  })

  test("the file name comes from Content-Disposition, never with a path", () => {
    expect(fileNameFrom('attachment; filename="fix-build-20260101-1200.md"')).toBe("fix-build-20260101-1200.md")
    expect(fileNameFrom("attachment; filename*=UTF-8''caf%C3%A9.json; filename=\"cafe.json\"")).toBe("café.json")
    expect(fileNameFrom('attachment; filename="../../etc/passwd"')).toBe("passwd")
    expect(fileNameFrom(null)).toBeUndefined()
  })

  test("the action's label comes from the command registry when it has a usable one", () => {
    const entries = listCommands({ mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] })
    expect(exportLabel(undefined)).toBe(EXPORT_LABEL)
    expect(exportLabel(entries)).toBe(entries.find((e) => e.name === "export")!.title)
    const retitled = entries.map((e) => (e.name === "export" ? { ...e, title: "Export log" } : e))
    expect(exportLabel(retitled)).toBe("Export log")
    expect(exportLabel(entries.map((e) => (e.name === "export" ? { ...e, title: "Export or share" } : e)))).toBe(EXPORT_LABEL)
    expect(exportLabel(entries.filter((e) => e.name !== "export"))).toBe(EXPORT_LABEL)
  })
})

describe("routes and times", () => {
  test("the open session round-trips through the hash", () => {
    expect(sessionFromHash(sessionHref("ses_a b"))).toBe("ses_a b")
    expect(sessionFromHash("#/other")).toBeUndefined()
    expect(sessionFromHash("#/session/%E0%A4%A")).toBeUndefined()
  })

  test("relative times", () => {
    const now = Date.UTC(2026, 0, 10, 12)
    expect(relativeTime(now - 10_000, now)).toBe("just now")
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 min ago")
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3 h ago")
    expect(relativeTime(now - 30 * 3_600_000, now)).toBe("yesterday")
    expect(relativeTime(now - 4 * 86_400_000, now)).toBe("4 days ago")
  })
})
