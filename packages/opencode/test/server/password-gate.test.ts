/**
 * The password's limit on wrong guesses, on its own: who counts as one client
 * (loopback as a whole, IPv6 by its /64), and a flood of clients that fills
 * the count, which before forgot the oldest (50,000 guesses in 3.3 s from
 * rotating loopback addresses, none refused).
 */
import { describe, expect, test } from "bun:test"
import { Hono } from "hono"
import { clientOf, GUESS_WINDOW_MS, GUESSES_PER_WINDOW, passwordGate } from "../../src/server/password-gate.ts"

const basic = (password: string) => `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`

function gated(clients: number) {
  let clock = 1_000_000
  const app = new Hono().use(passwordGate("correct horse", { now: () => clock, clients })).get("/", (c) => c.text("in"))
  const from = async (address: string, password?: string) =>
    (await app.request("http://127.0.0.1/", { headers: password === undefined ? {} : { authorization: basic(password) } }, { requestIP: () => ({ address, family: "IPv4", port: 1 }) })).status
  return { from, pass: (ms: number) => void (clock += ms) }
}

describe("who counts as one client", () => {
  test("an address; all of loopback; IPv6 by its /64; an IPv4 address written as IPv6 as itself", () => {
    expect(clientOf("192.0.2.7")).toBe("192.0.2.7")
    for (const loopback of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.9"]) expect([loopback, clientOf(loopback)]).toEqual([loopback, "127.0.0.0/8"])
    expect(clientOf("::ffff:192.0.2.7")).toBe("192.0.2.7")
    expect(clientOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64")
    expect(clientOf("2001:db8:1:2::99")).toBe("2001:db8:1:2::/64")
    expect(clientOf("2001:DB8::1")).toBe("2001:db8:0:0::/64")
    expect(clientOf("[fe80::1%eth0]")).toBe("fe80:0:0:0::/64")
  })
})

describe("the limit", () => {
  test("addresses of one /64, or of loopback, share their ten guesses", async () => {
    const { from } = gated(100)
    for (let i = 0; i < GUESSES_PER_WINDOW; i++) expect(await from(`2001:db8:1:2::${i + 1}`, `guess ${i}`)).toBe(401)
    expect(await from("2001:db8:1:2::ffff", "correct horse")).toBe(429)
    for (let i = 0; i < GUESSES_PER_WINDOW; i++) expect(await from(`127.0.${i}.1`, `guess ${i}`)).toBe(401)
    expect(await from("::1", "correct horse")).toBe(429)
    // The control: another /64 signs in.
    expect(await from("2001:db8:1:3::1", "correct horse")).toBe(200)
  })

  test("a count full of clients in their window: a new one may not guess until the oldest window ends; those counted go on as before", async () => {
    const { from, pass } = gated(8)
    for (let i = 0; i < 8; i++) {
      expect(await from(`192.0.2.${i}`, "wrong")).toBe(401)
      pass(1_000)
    }
    // A ninth client is refused without its password being tried, the right one too…
    const refused = await from("192.0.2.200", "wrong")
    expect(refused).toBe(429)
    expect(await from("192.0.2.201", "correct horse")).toBe(429)
    // …while one already counted still has its guesses, and asking without a password is never refused.
    expect(await from("192.0.2.3", "correct horse")).toBe(200)
    expect(await from("192.0.2.202")).toBe(401)
    // Once the oldest window has ended, there is room again.
    pass(GUESS_WINDOW_MS - 8_000)
    expect(await from("192.0.2.201", "correct horse")).toBe(200)
    expect(await from("192.0.2.200", "wrong")).toBe(401)
  })
})
