/** The share server's settings: defaults, the environment, and what is refused with the reason. */
import { describe, expect, test } from "bun:test"
import { allowedEmail, parseDuration, serverConfig } from "../src/config.ts"

const env = { HOME: "/home/ada", XDG_DATA_HOME: "/data" }

describe("serverConfig", () => {
  test("defaults: loopback, port 4097, a SQLite file in the overlay's data folder, 30 days", () => {
    const read = serverConfig({}, env)
    expect("config" in read && read.config).toMatchObject({
      hostname: "127.0.0.1",
      port: 4097,
      database: "/data/opencode-local-overlay/share-server.db",
      publicUrl: undefined,
      expiryMs: 30 * 86_400_000,
      admins: [],
    })
  })

  test("flags win over the environment; admins from both", () => {
    const read = serverConfig(
      { port: "5000", admin: ["Root@Example.com"] },
      { ...env, OPENCODE_SHARE_SERVER_PORT: "6000", OPENCODE_SHARE_SERVER_ADMINS: "ops@example.com, sec@example.com", OPENCODE_SHARE_SERVER_PUBLIC_URL: "https://share.example.com/" },
    )
    expect("config" in read && read.config).toMatchObject({ port: 5000, publicUrl: "https://share.example.com", admins: ["root@example.com", "ops@example.com", "sec@example.com"] })
  })

  test("what cannot be used says why", () => {
    const problem = (input: Parameters<typeof serverConfig>[0]) => {
      const read = serverConfig(input, env)
      return "problem" in read ? read.problem : "ok"
    }
    expect(problem({ port: "http" })).toContain("--port must be a port number")
    expect(problem({ publicUrl: "https://example.com/share" })).toContain("must be the root of a host")
    expect(problem({ publicUrl: "ftp://example.com" })).toContain("http or https")
    expect(problem({ database: "postgres://db/share" })).toBe("ok")
    expect(problem({ database: "postgres://[bad" })).toContain("not a PostgreSQL URL")
    expect(problem({ oidcIssuer: "https://login.example.com" })).toContain("needs all three")
    const oidc = { oidcClientId: "a", oidcClientSecret: "b", allowEmailDomain: "example.com" }
    expect(problem({ ...oidc, oidcIssuer: "http://login.example.com" })).toContain("must be https")
    expect(problem({ ...oidc, oidcIssuer: "http://127.0.0.1:9000" })).toBe("ok")
    expect(problem({ ...oidc, oidcIssuer: "https://accounts.google.com", allowEmailDomain: undefined })).toContain("needs --allow-email-domain")
    expect(problem({ admin: ["root"] })).toContain('--admin "root" is not an e-mail address')
    expect(problem({ expires: "forever" })).toContain("--expires")
    expect(problem({ expires: "400d" })).toContain("at most a year")
    expect(problem({ maxBody: "10" })).toContain("--max-body")
    expect(problem({ rateLimit: "0" })).toContain("--rate-limit")
    expect(problem({ maxShare: "2048" })).toContain("--max-share must be a number of bytes, at least --max-body")
    expect(problem({ allowEmailDomain: "not a domain" })).toContain("is not a domain")
  })
})

test("durations and e-mail domains", () => {
  expect(parseDuration("7d")).toBe(7 * 86_400_000)
  expect(parseDuration("90m")).toBe(90 * 60_000)
  expect(parseDuration("2s")).toBe(2_000)
  expect(parseDuration("0d")).toBeUndefined()
  expect(parseDuration("7 days")).toBeUndefined()
  expect(allowedEmail({ allowEmailDomain: "example.com" }, "ada@example.com")).toBe(true)
  expect(allowedEmail({ allowEmailDomain: "example.com" }, "ada@example.com.evil.org")).toBe(false)
  expect(allowedEmail({ allowEmailDomain: undefined }, "not-an-email")).toBe(false)
})
