import { describe, expect, test } from "bun:test"
import { ImportInvalid } from "../../src/import/errors.ts"
import { planImport } from "../../src/import/plan.ts"
import { IMPORT_LIMITS, readImportFile, type ImportFile } from "../../src/import/read.ts"
import { FORMAT, SCHEMA_VERSION } from "../../src/export/render/json.ts"

const message = (id: string, sessionID: string, parts: string[]) => ({
  info: { id, sessionID, role: "user", time: { created: 1 } },
  parts: parts.map((p) => ({ id: p, messageID: id, sessionID, type: "text", text: "x" })),
})
const node = (id: string, parentID: string | undefined, messages: unknown[], children?: unknown[]) => ({
  info: { id, slug: id.slice(4), title: id, time: { created: 1 }, ...(parentID ? { parentID } : {}) },
  messages,
  ...(children ? { children } : {}),
})
const file = (session: unknown) => JSON.stringify({ format: FORMAT, schema_version: SCHEMA_VERSION, session })
const read = (text: string) => readImportFile(text)
const problem = (text: string) => {
  const result = read(text)
  return result instanceof ImportInvalid ? result.message : undefined
}

describe("reading an import file", () => {
  test("a tree in file order, parents first, with every message and part id", () => {
    const result = read(
      file(node("ses_a", undefined, [message("msg_1", "ses_a", ["prt_1", "prt_2"])], [node("ses_b", "ses_a", [], [node("ses_c", "ses_b", [message("msg_2", "ses_c", ["prt_3"])])]), node("ses_d", "ses_a", [])])),
    ) as ImportFile
    expect(result.sessions.map((s) => s.id)).toEqual(["ses_a", "ses_b", "ses_c", "ses_d"])
    expect(result.sessions[0]!.partIDs).toEqual(["prt_1", "prt_2"])
    expect(result.sessions[2]!.messageIDs).toEqual(["msg_2"])
  })

  test("nesting past the limit is a bad file, however deep, without recursion", () => {
    let inner = ""
    const depth = 50_000
    for (let k = 0; k < depth; k++) inner += `{"info":{"id":"ses_${k + 1}","parentID":"ses_${k}","time":{"created":1}},"messages":[],"children":[`
    inner += "]}".repeat(depth)
    const text = `{"format":"${FORMAT}","schema_version":${SCHEMA_VERSION},"session":{"info":{"id":"ses_0","time":{"created":1}},"messages":[],"children":[${inner}]}}`
    expect(problem(text)).toBe(`subagent sessions are nested more than ${IMPORT_LIMITS.depth} deep; no export of a real session is`)
  })

  test("a part filed under another message, or an id used twice, is a bad file", () => {
    const stray = message("msg_1", "ses_a", ["prt_1"])
    stray.parts[0]!.messageID = "msg_9"
    expect(problem(file(node("ses_a", undefined, [stray])))).toContain('names message "msg_9", not the message it is in (msg_1)')
    expect(problem(file(node("ses_a", undefined, [message("msg_1", "ses_a", ["prt_1"]), message("msg_2", "ses_a", ["prt_1"])])))).toBe(
      "prt_1 appears twice in the file (in session ses_a and in session ses_a)",
    )
    expect(problem(file(node("ses_a", undefined, [message("msg_1", "ses_a", [])], [node("ses_b", "ses_a", [message("msg_1", "ses_b", [])])])))).toBe(
      "msg_1 appears twice in the file (in session ses_a and in session ses_b)",
    )
  })
})

describe("the import plan", () => {
  const sessions = (read(file(node("ses_a", undefined, [message("msg_1", "ses_a", ["prt_1"])]))) as ImportFile).sessions
  const stored = { id: "ses_a", slug: "a", created: 1 }

  test("ids of the file that belong to another session here are conflicts, by kind", () => {
    const plan = planImport(sessions, { sessions: new Map(), owners: new Map([["msg_1", "ses_z"], ["prt_1", "ses_z"]]) })
    expect(plan.conflicts.map((c) => (c.kind === "session" ? c.kind : [c.kind, c.id, c.owner]))).toEqual([
      ["message", "msg_1", "ses_z"],
      ["part", "prt_1", "ses_z"],
    ])
  })

  test("a session here whole is present; with a part missing it is imported again; another session of that id is a conflict", () => {
    const whole = new Map([["msg_1", "ses_a"], ["prt_1", "ses_a"]])
    expect(planImport(sessions, { sessions: new Map([["ses_a", stored]]), owners: whole }).present).toHaveLength(1)
    expect(planImport(sessions, { sessions: new Map([["ses_a", stored]]), owners: new Map([["msg_1", "ses_a"]]) }).toImport).toHaveLength(1)
    expect(planImport(sessions, { sessions: new Map([["ses_a", { ...stored, slug: "other" }]]), owners: whole }).conflicts[0]?.kind).toBe("session")
  })
})
