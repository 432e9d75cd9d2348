import { describe, expect, test } from "bun:test"
import { safeNext } from "../src/sign-in.ts"

describe("safeNext: where a sign-in may send the browser back to", () => {
  test("a path on this server is kept", () => {
    expect(safeNext("/share/Abc123Def456")).toBe("/share/Abc123Def456")
    expect(safeNext("/auth/cli?port=4100&state=abcdefghijklmnop")).toBe("/auth/cli?port=4100&state=abcdefghijklmnop")
  })
  test("anything that could leave it, or is not a path, is the server's root", () => {
    for (const next of [undefined, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "share/x", "/share/x\nSet-Cookie: a=b", "/ space", "javascript:alert(1)"])
      expect([next, safeNext(next)]).toEqual([next, "/"])
  })
})
