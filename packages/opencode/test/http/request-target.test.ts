import { describe, expect, test } from "bun:test"
import { requestTarget, runtimeUrl } from "../../src/http/request-target.ts"

const RUNTIME = "http://127.0.0.1:5000"
const ours = (path: string) => `http://127.0.0.1:4096${path}`

describe("request targets", () => {
  test("a plain path and query go to the runtime's origin as they are", () => {
    for (const path of ["/", "/session", "/session/ses_1/message?directory=%2Ftmp%2Fp&x=1", "/file/content?path=//etc/passwd", "/a%20b", "/@evil.example/x", "/%C3%A9"]) {
      const target = requestTarget(ours(path))
      expect("problem" in target).toBe(false)
      const url = runtimeUrl(RUNTIME, target as { path: string; query: string })
      expect([path, url]).toEqual([path, `${RUNTIME}${path}`])
    }
  })

  test("paths that name another host, in any encoding, are refused with a reason", () => {
    for (const path of ["//127.0.0.1:9/x", "///x", "/%2F127.0.0.1:9/x", "/%2f%2fevil", "/%5Cevil", "/%252F%252Fevil", "/%25252F/evil"]) {
      const target = requestTarget(ours(path))
      expect([path, "problem" in target && target.problem]).toEqual([path, expect.stringContaining("names another host")])
    }
    // What Bun hands the app for `GET /\evil.example/x`: the backslash already read as a slash.
    expect(requestTarget("http://127.0.0.1:4096//evil.example/x")).toEqual({ problem: expect.stringContaining("two slashes") })
  })

  test("broken percent-encoding and a request without a host are refused", () => {
    expect(requestTarget(ours("/a%zz"))).toEqual({ problem: expect.stringContaining("%") })
    expect(requestTarget("/a")).toEqual({ problem: expect.stringContaining("no host") })
  })

  test("the runtime's URL never leaves its origin, and WebSockets get ws:", () => {
    expect(runtimeUrl(RUNTIME, { path: "/pty/1/connect", query: "?cursor=0" }, "ws")).toBe("ws://127.0.0.1:5000/pty/1/connect?cursor=0")
    expect(() => runtimeUrl(RUNTIME, { path: "@evil.example/x", query: "" })).toThrow("outside")
  })
})
