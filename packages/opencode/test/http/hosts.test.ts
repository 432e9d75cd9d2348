import { describe, expect, test } from "bun:test"
import { allowsHost, allowsOrigin, describeHosts, hostAllowList, parseAddedHost, parseHost, type HostEntry } from "../../src/http/hosts.ts"

const loopback = hostAllowList({ hostname: "127.0.0.1", port: 4096 })

describe("the names a server answers to", () => {
  test("bound to 127.0.0.1: that address, localhost and [::1], on its port only", () => {
    expect(describeHosts(loopback)).toBe("127.0.0.1:4096, localhost:4096, [::1]:4096")
    for (const host of ["127.0.0.1:4096", "localhost:4096", "LOCALHOST:4096", "[::1]:4096"]) expect([host, allowsHost(loopback, host)]).toEqual([host, true])
  })

  test("a rebound name, another port, a look-alike or a malformed Host is refused", () => {
    for (const host of [
      "attacker.example:4096",
      "attacker.example",
      "127.0.0.1:4097",
      "127.0.0.1",
      "localhost",
      "localhost.:4096",
      "localhost.attacker.example:4096",
      "127.0.0.1.nip.io:4096",
      "127.0.0.2:4096",
      "0.0.0.0:4096",
      "user@127.0.0.1:4096",
      "127.0.0.1:4096/x",
      "127.0.0.1:4096, attacker.example",
      "[::ffff:127.0.0.1]:4096",
      "",
    ])
      expect([host, allowsHost(loopback, host)]).toEqual([host, false])
    expect(allowsHost(loopback, undefined)).toBe(false)
  })

  test("bound to every interface: the machine's own addresses and the loopback names", () => {
    const all = hostAllowList({ hostname: "0.0.0.0", port: 8080 }, { interfaces: ["127.0.0.1", "10.1.2.3", "fe80::1%eth0", "::1"] })
    for (const host of ["10.1.2.3:8080", "[fe80::1]:8080", "localhost:8080", "0.0.0.0:8080"]) expect([host, allowsHost(all, host)]).toEqual([host, true])
    expect(allowsHost(all, "10.9.9.9:8080")).toBe(false)
    expect(allowsHost(all, "intranet.example:8080")).toBe(false)
  })

  test("bound to one other address: that address only", () => {
    const lan = hostAllowList({ hostname: "10.1.2.3", port: 8080 }, { interfaces: ["10.1.2.3", "10.4.5.6"] })
    expect(describeHosts(lan)).toBe("10.1.2.3:8080")
  })

  test("--allow-host adds a name (any port) or a name:port; a value that is not a name is refused", () => {
    const added = [parseAddedHost("OpenCode.Example.com"), parseAddedHost("proxy.internal:8443")] as HostEntry[]
    expect(added).toEqual([{ name: "opencode.example.com" }, { name: "proxy.internal", port: 8443 }])
    const list = hostAllowList({ hostname: "127.0.0.1", port: 4096 }, { added })
    expect(allowsHost(list, "opencode.example.com")).toBe(true)
    expect(allowsHost(list, "opencode.example.com:9000")).toBe(true)
    expect(allowsHost(list, "proxy.internal:8443")).toBe(true)
    expect(allowsHost(list, "proxy.internal:8444")).toBe(false)
    expect(parseAddedHost("https://x.example/")).toEqual({ problem: expect.stringContaining("not a host name") })
    expect(parseAddedHost("a b")).toEqual({ problem: expect.stringContaining("not a host name") })
  })

  test("parseHost reads the default port of the scheme and refuses port 0 or above 65535", () => {
    expect(parseHost("example.com", 443)).toEqual({ name: "example.com", port: 443 })
    expect(parseHost("example.com:0")).toBeUndefined()
    expect(parseHost("example.com:65536")).toBeUndefined()
  })
})

describe("origins", () => {
  test("only http origins of the listed names, on the port", () => {
    for (const origin of ["http://127.0.0.1:4096", "http://localhost:4096", "http://[::1]:4096"]) expect([origin, allowsOrigin(loopback, origin)]).toEqual([origin, true])
    for (const origin of [
      "http://attacker.example:4096",
      "https://127.0.0.1:4096",
      "http://127.0.0.1:4097",
      "http://127.0.0.1",
      "null",
      "file://",
      "http://127.0.0.1:4096/",
      "http://user@127.0.0.1:4096",
      "http://127.0.0.1:4096.attacker.example",
      "chrome-extension://abc",
    ])
      expect([origin, allowsOrigin(loopback, origin)]).toEqual([origin, false])
  })

  test("a name the user added may also be https (a proxy that terminates TLS); the bound names may not", () => {
    const list = hostAllowList({ hostname: "127.0.0.1", port: 4096 }, { added: [{ name: "opencode.example.com" }] })
    expect(allowsOrigin(list, "https://opencode.example.com")).toBe(true)
    expect(allowsOrigin(list, "http://opencode.example.com")).toBe(true)
    expect(allowsOrigin(list, "https://localhost:4096")).toBe(false)
  })
})
