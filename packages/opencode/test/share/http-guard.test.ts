import { describe, expect, test } from "bun:test"
import { Hono } from "hono"
import type { SharePolicy } from "../../src/config/policy.ts"
import { shareGuard } from "../../src/share/http-guard.ts"

const project = { kind: "project", path: "/repo/opencode.json" } as const
const disabled: SharePolicy = { mode: "disabled", source: project, overridden: [], problems: [] }
const manual: SharePolicy = { mode: "manual", source: project, overridden: [], problems: [] }

function app(policy: SharePolicy) {
  const seen: string[] = []
  const hono = new Hono()
  hono.use(shareGuard(() => policy))
  hono.all("*", (c) => {
    seen.push(`${c.req.method} ${c.req.path}`)
    return c.json({ passed: true })
  })
  return { hono, seen }
}

describe("shareGuard", () => {
  test("POST and DELETE /session/:id/share answer 403 with the policy while disabled; nothing passes", async () => {
    const { hono, seen } = app(disabled)
    for (const method of ["POST", "DELETE"]) {
      const response = await hono.request("/session/ses_1/share", { method })
      expect(response.status).toBe(403)
      const body = await response.json()
      expect(body.error).toBe("share_disabled")
      expect(body.message).toContain("Sharing is disabled (from /repo/opencode.json)")
      expect(body.message).toContain("opencode export")
      expect(body.policy).toEqual({ mode: "disabled", source: "/repo/opencode.json", overridden: [] })
    }
    expect(seen).toEqual([])
  })

  test("other routes and methods pass through", async () => {
    const { hono, seen } = app(disabled)
    expect((await hono.request("/session/ses_1/share")).status).toBe(200)
    expect((await hono.request("/session/ses_1/message", { method: "POST" })).status).toBe(200)
    expect((await hono.request("/session/ses_1/share/extra", { method: "POST" })).status).toBe(200)
    expect(seen).toHaveLength(3)
  })

  test("an enabled policy lets the runtime answer", async () => {
    const { hono, seen } = app(manual)
    expect((await hono.request("/session/ses_1/share", { method: "POST" })).status).toBe(200)
    expect(seen).toEqual(["POST /session/ses_1/share"])
  })
})
