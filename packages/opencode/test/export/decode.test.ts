import { describe, expect, test } from "bun:test"
import { decodeMessage, decodePart, sessionFromRow } from "../../src/storage/decode.ts"
import type { SessionRow } from "../../src/storage/schema.ts"

describe("decoding rows", () => {
  test("a message gets its ids last, as the runtime's own export has them, and JSON without re-serializing", () => {
    const data = '{"role":"user","time":{"created":1},"agent":"build","model":{"providerID":"p","modelID":"m"}}'
    const m = decodeMessage("msg_1", "ses_1", data)
    expect(m.ok).toBe(true)
    if (!m.ok) return
    expect(m.json).toBe(`${data.slice(0, -1)},"id":"msg_1","sessionID":"ses_1"}`)
    expect(JSON.parse(m.json)).toEqual(m.value)
    expect(Object.keys(m.value).slice(-2)).toEqual(["id", "sessionID"])
  })

  test("a part gets id, sessionID and messageID", () => {
    const p = decodePart("prt_1", "msg_1", "ses_1", '{"type":"text","text":"hi"}')
    expect(p).toMatchObject({ ok: true, known: true, value: { type: "text", text: "hi", id: "prt_1", sessionID: "ses_1", messageID: "msg_1" } })
    if (p.ok) expect(JSON.parse(p.json)).toEqual(p.value)
  })

  test("an empty object and ids already in the data decode to valid JSON", () => {
    const empty = decodePart("prt_1", "msg_1", "ses_1", '{"type":"step-start"}')
    expect(empty.ok && JSON.parse(empty.json)).toEqual({ type: "step-start", id: "prt_1", sessionID: "ses_1", messageID: "msg_1" })
    const clash = decodePart("prt_1", "msg_1", "ses_1", '{"id":"old","type":"step-start"}')
    expect(clash.ok && JSON.parse(clash.json)).toEqual({ type: "step-start", id: "prt_1", sessionID: "ses_1", messageID: "msg_1" })
  })

  test("rows that do not decode are problems, not exceptions", () => {
    expect(decodeMessage("m", "s", "{not json")).toMatchObject({ ok: false, problem: expect.stringContaining("not valid JSON") })
    expect(decodeMessage("m", "s", "[1,2]")).toEqual({ ok: false, problem: "not a JSON object (array)" })
    expect(decodeMessage("m", "s", '{"role":"robot","time":{"created":1}}')).toMatchObject({ ok: false, problem: expect.stringContaining("unknown role") })
    expect(decodeMessage("m", "s", '{"role":"assistant","time":{"created":1}}')).toMatchObject({ ok: false })
    expect(decodePart("p", "m", "s", '{"text":"no type"}')).toEqual({ ok: false, problem: "has no type" })
    expect(decodePart("p", "m", "s", '{"type":"tool","tool":"bash","state":{"status":"completed","input":{}}}')).toMatchObject({
      ok: false,
      problem: "is a tool part that is completed without output",
    })
  })

  test("a part type the runtime adds later is kept as unknown, not a problem", () => {
    expect(decodePart("p", "m", "s", '{"type":"hologram","beam":1}')).toMatchObject({ ok: true, known: false, value: { type: "hologram" } })
  })

  test("a session row becomes the SDK's Session; bad JSON columns become problems", () => {
    const row: SessionRow = {
      id: "ses_1", projectID: "global", workspaceID: null, parentID: "ses_0", slug: "s", directory: "/p", path: "p",
      title: "T", version: "1.18.33", shareURL: null, summaryAdditions: 1, summaryDeletions: 2, summaryFiles: 3,
      summaryDiffs: "[]", metadata: "{oops", cost: 0.5, tokensInput: 1, tokensOutput: 2, tokensReasoning: 3,
      tokensCacheRead: 4, tokensCacheWrite: 5, revert: null, permission: "[]", agent: "build",
      model: '{"id":"m","providerID":"p"}', timeCreated: 10, timeUpdated: 20, timeCompacting: null, timeArchived: null,
    }
    const { info, problems } = sessionFromRow(row)
    expect(info).toEqual({
      id: "ses_1", slug: "s", projectID: "global", directory: "/p", path: "p", parentID: "ses_0", title: "T",
      agent: "build", model: { id: "m", providerID: "p" }, version: "1.18.33",
      summary: { additions: 1, deletions: 2, files: 3, diffs: [] }, cost: 0.5,
      tokens: { input: 1, output: 2, reasoning: 3, cache: { read: 4, write: 5 } }, permission: [], time: { created: 10, updated: 20 },
    })
    expect(problems).toEqual(["column metadata is not valid JSON"])
  })
})
