import { describe, expect, test } from "bun:test"
import { duration, fileStamp, isoLocal } from "../../src/export/document/format.ts"
import { batchFileNames, defaultFileName, outputPath, safeSlug } from "../../src/export/write/naming.ts"
import { parseSince } from "../../src/export/document/since.ts"

const at = new Date(2025, 2, 4, 5, 6, 7).getTime() // local time

describe("file names", () => {
  test("<slug>-<YYYYMMDD-HHmm> in local time, .md or .json", () => {
    const s = { id: "ses_1", slug: "brave-otter", time: { created: at } }
    expect(defaultFileName(s, "markdown")).toBe("brave-otter-20250304-0506.md")
    expect(defaultFileName(s, "json")).toBe("brave-otter-20250304-0506.json")
  })

  test("slugs are made safe for any file system", () => {
    expect(safeSlug("Héllo Wörld/../x")).toBe("hello-world-x")
    expect(safeSlug("///")).toBe("session")
    expect(safeSlug("a".repeat(100))).toHaveLength(60)
  })

  test("a batch gets the id's end where two names would clash", () => {
    const sessions = [
      { id: "ses_aaaaaaaa11111111", slug: "same", time: { created: at } },
      { id: "ses_bbbbbbbb22222222", slug: "same", time: { created: at } },
      { id: "ses_c", slug: "other", time: { created: at } },
    ]
    expect(batchFileNames(sessions, "markdown")).toEqual([
      "same-20250304-0506-11111111.md",
      "same-20250304-0506-22222222.md",
      "other-20250304-0506.md",
    ])
  })

  test("-o as a file, as a folder, or nothing", () => {
    const base = { cwd: "/work", defaultName: "x-1.md" }
    expect(outputPath({ ...base, outputIsDir: false })).toBe("/work/x-1.md")
    expect(outputPath({ ...base, output: "out/log.md", outputIsDir: false })).toBe("/work/out/log.md")
    expect(outputPath({ ...base, output: "/tmp/exports", outputIsDir: true })).toBe("/tmp/exports/x-1.md")
  })
})

describe("formats", () => {
  test("ISO 8601 in local time with the offset", () => {
    const iso = isoLocal(at)
    expect(iso).toMatch(/^2025-03-04T05:06:07[+-]\d{2}:\d{2}$/)
    expect(Date.parse(iso)).toBe(at)
    expect(fileStamp(at)).toBe("20250304-0506")
  })

  test("durations", () => {
    expect(duration(420)).toBe("0.42 s")
    expect(duration(12_340)).toBe("12.3 s")
    expect(duration(245_000)).toBe("4 min 05 s")
    expect(duration(7_380_000)).toBe("2 h 03 min")
  })
})

describe("--since", () => {
  const now = Date.UTC(2025, 2, 10, 12, 0, 0)
  test("dates, local times, ISO times and ages", () => {
    expect(parseSince("2025-03-04", now)).toBe(new Date(2025, 2, 4).getTime())
    expect(parseSince("2025-03-04T15:30", now)).toBe(new Date(2025, 2, 4, 15, 30).getTime())
    expect(parseSince("2025-03-04 15:30", now)).toBe(new Date(2025, 2, 4, 15, 30).getTime())
    expect(parseSince("2025-03-04T15:30:00Z", now)).toBe(Date.UTC(2025, 2, 4, 15, 30))
    expect(parseSince("2025-03-04T15:30:00+02:00", now)).toBe(Date.UTC(2025, 2, 4, 13, 30))
    expect(parseSince("7d", now)).toBe(now - 7 * 86_400_000)
    expect(parseSince("90m", now)).toBe(now - 90 * 60_000)
    expect(parseSince("2w", now)).toBe(now - 14 * 86_400_000)
  })

  test("anything else is refused", () => {
    for (const bad of ["yesterday", "2025-02-30", "2025-3-4", "7", "-1d", ""]) expect(parseSince(bad, now)).toBeUndefined()
  })
})
