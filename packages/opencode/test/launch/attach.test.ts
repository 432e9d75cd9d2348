import { describe, expect, test } from "bun:test"
import type { SharePolicy } from "../../src/config/policy.ts"
import { attachRefusal, attachRequest } from "../../src/launch/attach.ts"

const disabled: SharePolicy = { mode: "disabled", source: { kind: "default" }, overridden: [], problems: [] }
const manual: SharePolicy = { mode: "manual", source: { kind: "project", path: "/p/opencode.json" }, overridden: [], problems: [] }

describe("attachRequest", () => {
  test("attach <url> and run --attach <url>, with the runtime's credentials", () => {
    expect(attachRequest(["attach", "http://h:4096"], {})).toEqual({ url: "http://h:4096", username: "opencode", unguarded: false, argv: ["attach", "http://h:4096"] })
    expect(attachRequest(["run", "--attach=http://h:1", "-p", "pw", "hi"], { OPENCODE_SERVER_USERNAME: "me" })).toMatchObject({
      url: "http://h:1",
      username: "me",
      password: "pw",
    })
    expect(attachRequest(["attach", "http://h:1"], { OPENCODE_SERVER_PASSWORD: "env" })?.password).toBe("env")
  })

  test("--unguarded is the overlay's: taken out of the runtime's arguments (but not after --)", () => {
    const request = attachRequest(["run", "--attach", "http://h:1", "--unguarded", "hi", "--", "--unguarded"], {})
    expect(request?.unguarded).toBe(true)
    expect(request?.argv).toEqual(["run", "--attach", "http://h:1", "hi", "--", "--unguarded"])
  })

  test("no server: nothing to check", () => {
    for (const argv of [["run", "hi"], ["serve"], [], ["attach"]]) expect(attachRequest(argv, {})).toBeUndefined()
  })
})

describe("attachRefusal", () => {
  const url = "http://h:1"
  test("refused where the local policy is disabled and a runtime server's config does not say disabled", () => {
    expect(attachRefusal(disabled, { kind: "runtime", share: "auto" }, url)?.[0]).toContain('its config says "share": "auto"')
    expect(attachRefusal(disabled, { kind: "runtime", share: undefined }, url)?.[0]).toContain("says nothing about sharing")
    expect(attachRefusal(disabled, { kind: "runtime", share: "auto" }, url)?.join(" ")).toContain("--unguarded")
  })

  test("allowed: the overlay's server, a runtime whose config says disabled, a server that does not answer, a project that opted in", () => {
    expect(attachRefusal(disabled, { kind: "overlay", mode: "disabled" }, url)).toBeUndefined()
    expect(attachRefusal(disabled, { kind: "runtime", share: "disabled" }, url)).toBeUndefined()
    expect(attachRefusal(disabled, { kind: "unknown" }, url)).toBeUndefined()
    expect(attachRefusal(manual, { kind: "runtime", share: "auto" }, url)).toBeUndefined()
  })
})
