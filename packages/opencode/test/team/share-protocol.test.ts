/** The runtime's share protocol as the server reads it: item keys, and what a request must hold. */
import { describe, expect, test } from "bun:test"
import { createBody, keyOf, ordered, secretBody, syncBody, type KeyedItem } from "../../src/team/share-protocol.ts"

describe("keyOf", () => {
  test("each item type gets the key upstream's server compacts by", () => {
    const key = (item: unknown) => {
      const checked = keyOf(item, 0)
      return checked.ok ? checked.value.key : checked.problem
    }
    expect(key({ type: "session", data: { id: "ses_1" } })).toBe("session")
    expect(key({ type: "message", data: { id: "msg_1" } })).toBe("message/msg_1")
    expect(key({ type: "part", data: { id: "prt_1", messageID: "msg_1" } })).toBe("part/msg_1/prt_1")
    // A part whose message is called "message" keeps a key of its own.
    expect(key({ type: "part", data: { id: "x", messageID: "message" } })).not.toBe(key({ type: "message", data: { id: "x" } }))
    expect(key({ type: "session_diff", data: [] })).toBe("session_diff")
    expect(key({ type: "model", data: [] })).toBe("model")
  })

  test("what cannot be one says why, with the item's place", () => {
    const problem = (item: unknown) => {
      const checked = keyOf(item, 3)
      return checked.ok ? "ok" : checked.problem
    }
    expect(problem(null)).toBe("data[3] is not an object")
    expect(problem({ type: "share", data: {} })).toContain("data[3].type must be one of session, message, part")
    expect(problem({ type: "part", data: { id: "prt_1" } })).toBe("data[3].data.messageID is missing or not an id")
    expect(problem({ type: "message", data: { id: "../../etc" } })).toBe("data[3].data.id is missing or not an id")
    expect(problem({ type: "model", data: {} })).toBe("data[3].data must be an array for model")
  })
})

describe("request bodies", () => {
  test("sync: the secret and every item, or the first thing wrong", () => {
    const ok = syncBody({ secret: "s", data: [{ type: "session", data: { id: "ses_1" } }] })
    expect(ok.ok && ok.value.items.map((i) => i.key)).toEqual(["session"])
    expect(syncBody({ data: [] })).toEqual({ ok: false, problem: "secret is missing" })
    expect(syncBody({ secret: "s", data: {} })).toEqual({ ok: false, problem: "data must be an array of {type, data}" })
    expect(syncBody([1])).toEqual({ ok: false, problem: "the body must be a JSON object" })
  })

  test("create and delete", () => {
    expect(createBody({ sessionID: "ses_abc" })).toEqual({ ok: true, value: { sessionID: "ses_abc" } })
    expect(createBody({ sessionID: "a b" }).ok).toBe(false)
    expect(secretBody({ secret: "x" })).toEqual({ ok: true, value: { secret: "x" } })
    expect(secretBody({ secret: "" }).ok).toBe(false)
  })
})

test("ordered: the session, then messages, then parts, then the rest, each by key", () => {
  const items: KeyedItem[] = [
    { type: "model", data: [], key: "model" },
    { type: "part", data: {}, key: "part/msg_2/prt_1" },
    { type: "message", data: {}, key: "message/msg_2" },
    { type: "part", data: {}, key: "part/msg_1/prt_9" },
    { type: "session", data: {}, key: "session" },
    { type: "message", data: {}, key: "message/msg_1" },
  ]
  expect(ordered(items).map((i) => i.key)).toEqual(["session", "message/msg_1", "message/msg_2", "part/msg_1/prt_9", "part/msg_2/prt_1", "model"])
})
