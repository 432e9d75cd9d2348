import { describe, expect, test } from "bun:test"
import { exportArgs } from "../../src/session-command/export.ts"
import { defaultFileName } from "../../src/export/write/naming.ts"
import { displayFile, exportInput, initialForm, rows, setFile, toggle } from "../../src/tui/export-form.ts"
import { pickerOrder } from "../../src/tui/dialogs.ts"

const session = { id: "ses_1", slug: "brave-otter", title: "Fix the build", time: { created: Date.UTC(2025, 2, 4, 5, 6) } }

describe("the export dialog's form", () => {
  test("defaults: opencode export's own options and file name, in the project folder", () => {
    const form = initialForm(session, "/p")
    expect(form).toMatchObject({ format: "markdown", thinking: false, toolDetails: false, diffs: false, named: false })
    expect(form.output).toBe(`/p/${defaultFileName(session, "markdown")}`)
    expect(exportArgs(exportInput(form, false))).toEqual(["export", "ses_1", "--format", "markdown", "-o", form.output])
  })

  test("rows: Export first, then format, the three options and the file; checkboxes follow the toggles", () => {
    const form = initialForm(session, "/p")
    expect(rows(form).map((r) => r.value)).toEqual(["export", "format", "thinking", "toolDetails", "diffs", "file"])
    expect(rows(form).map((r) => r.title.trim())).toEqual(["Export", "Format: Markdown", "[ ] Reasoning", "[ ] Tool details", "[ ] Diffs", "File"])
    const on = toggle(toggle(toggle(form, "thinking"), "toolDetails"), "diffs")
    expect(rows(on).map((r) => r.title.trim()).slice(2, 5)).toEqual(["[x] Reasoning", "[x] Tool details", "[x] Diffs"])
    expect(rows(form).find((r) => r.value === "file")?.description).toContain(defaultFileName(session, "markdown"))
    expect(new Set(rows(form).map((r) => r.title.length)).size).toBe(1)
  })

  test("switching the format (Markdown, JSON, HTML, round) renames a default file, and only the extension of a chosen one", () => {
    const form = initialForm(session, "/p")
    const json = toggle(form, "format")
    expect(json.format).toBe("json")
    expect(json.output).toBe(`/p/${defaultFileName(session, "json")}`)
    const html = toggle(json, "format")
    expect([html.format, html.output]).toEqual(["html", `/p/${defaultFileName(session, "html")}`])
    expect(rows(html).find((r) => r.value === "format")?.title.trim()).toBe("Format: HTML")
    expect(toggle(html, "format").output).toBe(form.output)
    const named = setFile(form, "logs/mine.md")
    expect(toggle(named, "format").output).toBe("/p/logs/mine.json")
    expect(toggle(setFile(form, "notes.txt"), "format").output).toBe("/p/notes.txt")
  })

  test("the file typed: relative to the project, absolute, or under ~; empty keeps the current one", () => {
    const form = initialForm(session, "/p")
    expect(setFile(form, " sub/a.md ").output).toBe("/p/sub/a.md")
    expect(setFile(form, "/tmp/a.md").output).toBe("/tmp/a.md")
    expect(setFile(form, "~/a.md", "/home/u").output).toBe("/home/u/a.md")
    expect(setFile(form, "   ")).toBe(form)
    expect(displayFile(setFile(form, "sub/a.md"))).toBe("sub/a.md")
    expect(displayFile(setFile(form, "/elsewhere/a.md"))).toBe("/elsewhere/a.md")
    expect(displayFile(setFile(form, "../up.md"))).toBe("/up.md")
  })

  test("the request carries every option and --force only when asked", () => {
    const form = toggle(toggle(initialForm(session, "/p"), "format"), "diffs")
    expect(exportInput(form, true)).toEqual({
      sessionID: "ses_1",
      format: "json",
      thinking: false,
      toolDetails: false,
      diffs: true,
      output: form.output,
      force: true,
      directory: "/p",
    })
  })
})

test("the home screen's session picker: newest first, archived left out", () => {
  const s = (id: string, updated: number, created = 0, archived?: number) => ({
    id,
    slug: id,
    title: id,
    time: { created, updated, ...(archived ? { archived } : {}) },
  })
  const order = pickerOrder([s("a", 1), s("b", 3), s("c", 2), s("d", 5, 0, 6), s("e", 3, 1)]).map((x) => x.id)
  expect(order).toEqual(["e", "b", "c", "a"])
})
