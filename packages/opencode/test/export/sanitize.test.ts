import { describe, expect, test } from "bun:test"
import { createSanitizer } from "../../src/export/screen/sanitize.ts"
import { findSecrets, replaceSecrets, secretFor } from "../../src/export/screen/redact.ts"
import { SAMPLES } from "./secrets.ts"

const token = SAMPLES.github!.text
const awsKey = SAMPLES.aws!.text.split("=")[1]!

describe("sanitizing values", () => {
  const sanitizer = createSanitizer({ redact: true, home: "/home/ada" })

  test("a value with nothing to do comes back as the same object and JSON", async () => {
    const value = { type: "text", text: "hello" }
    const json = JSON.stringify(value)
    const out = await sanitizer.value(value, json)
    expect(out.value).toBe(value)
    expect(out.json).toBe(json)
  })

  test("secrets in any string, the home directory everywhere; the input is not changed", async () => {
    const value = { state: { input: { command: `export GITHUB_TOKEN=${token}` }, output: "cd /home/ada/project && ls", list: ["/home/ada"] } }
    const before = JSON.stringify(value)
    const out = await sanitizer.value(value, before)
    expect(out.value).toEqual({
      state: { input: { command: "export GITHUB_TOKEN=[REDACTED:github-token]" }, output: "cd ~/project && ls", list: ["~"] },
    })
    expect(JSON.parse(out.json)).toEqual(out.value)
    expect(JSON.stringify(value)).toBe(before)
  })

  test("a secret split across a key and its value is found in the JSON", async () => {
    const value = { metadata: { env: { aws_secret_access_key: awsKey } } }
    const out = await sanitizer.value(value, JSON.stringify(value))
    expect(out.json).not.toContain(awsKey)
    expect(out.value).toEqual({ metadata: { env: { aws_secret_access_key: "[REDACTED:aws-secret-access-key]" } } })
  })

  test("a file part's data URL is left out and described", async () => {
    const data = Buffer.from("x".repeat(500)).toString("base64")
    const part = { type: "file", mime: "text/plain", filename: "notes.txt", url: `data:text/plain;base64,${data}` }
    const out = await sanitizer.value(part, JSON.stringify(part))
    expect(out.json).not.toContain(data)
    expect(out.value).toMatchObject({ filename: "notes.txt", payload: { omitted: true, mime: "text/plain", size: 500 } })
    expect((out.value as { url: string }).url).toStartWith("[OMITTED:data-url type=text/plain size=500 sha256=")
  })

  test("--no-redact keeps secrets and the home, but still leaves payloads out", async () => {
    const plain = createSanitizer({ redact: false, home: "/home/ada" })
    const value = { a: token, b: "/home/ada/x", c: `data:image/png;base64,${"iVBORw0KGgo".repeat(40)}` }
    const out = (await plain.value(value, JSON.stringify(value))).value
    expect(out.a).toBe(token)
    expect(out.b).toBe("/home/ada/x")
    expect(out.c).toStartWith("[OMITTED:data-url type=image/png")
    expect(plain.redaction).toEqual({ secrets: false, home: false })
  })
})

test("a secret written as a key is replaced in the key too, and nothing else changes", async () => {
  const token = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"
  const sanitizer = createSanitizer({ redact: true })
  const input = { id: "msg_1", input: { [token]: "value", plain: "kept" } }
  const out = await sanitizer.value(input, JSON.stringify(input))
  expect(out.json).not.toContain(token)
  expect(out.value as unknown).toEqual({ id: "msg_1", input: { "[REDACTED:github-token]": "value", plain: "kept" } })
  const clean = { id: "msg_2", input: { plain: "kept" } }
  expect((await sanitizer.value(clean, JSON.stringify(clean))).value).toBe(clean)
})

describe("the search across keys and values runs where a key could start a secret", () => {
  const sanitizer = createSanitizer({ redact: true })
  /** Every string and key of a value. */
  const texts = (value: unknown): string[] =>
    typeof value === "string"
      ? [value]
      : Array.isArray(value)
        ? value.flatMap(texts)
        : typeof value === "object" && value !== null
          ? Object.entries(value).flatMap(([k, v]) => [k, ...texts(v)])
          : []
  /** What the search over the whole JSON of `value` finds that would still change one of its strings or keys. */
  const leftOver = async (value: unknown): Promise<string[]> => {
    const all = texts(value)
    const found = (await findSecrets(JSON.stringify(value))).flatMap((s) => {
      try {
        return [secretFor(JSON.parse(`"${s.find}"`) as string, s.kind)]
      } catch {
        return []
      }
    })
    return found.filter((s) => all.some((t) => replaceSecrets(t, [s]) !== t)).map((s) => s.find)
  }
  const KEYS = ["type", "tool", "callID", "state", "status", "input", "command", "description", "output", "metadata", "title", "filePath", "content", "text", "diff"]
  const LINES = [
    ...Object.values(SAMPLES).map((s) => s.text),
    `const token = await auth.getToken({ accountId: 12 })`,
    `password: "hunter2hunter2"`,
    `my_api_key`,
    `export SECRET=`,
    `account_id: 1234-5678-9012`,
    `Authorization: Bearer`,
  ]

  test("where none could, the whole JSON holds nothing more to replace after the strings were searched one by one", async () => {
    let state = 7
    const next = (n: number) => ((state = (state * 1103515245 + 12345) >>> 0) % n)
    const make = (depth: number): unknown => {
      if (depth === 0 || next(3) === 0) return LINES.slice(next(LINES.length)).slice(0, 1 + next(3)).join(next(2) ? "\n" : " ")
      if (next(4) === 0) return [make(depth - 1), make(depth - 1)]
      return Object.fromEntries(Array.from({ length: 1 + next(4) }, () => [KEYS[next(KEYS.length)]!, make(depth - 1)]))
    }
    for (let i = 0; i < 60; i++) {
      const value = make(4)
      const out = (await sanitizer.value(value, JSON.stringify(value))).value
      expect(await leftOver(out)).toEqual([])
    }
  })

  test("keys that name secrets, over objects, arrays, true, false and null: the whole JSON holds nothing more either", async () => {
    let state = 11
    // The generator's high bits: its low ones repeat with a short period.
    const next = (n: number) => Math.floor(((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * n)
    const NAMES = ["tokens", "password", "aws_secret_access_key", "api_key", "credentials", "authorization", "account_id", "x-api-key", "secret"]
    const make = (depth: number): unknown => {
      const kind = next(6)
      // A value that is a secret only under its name, half of the time.
      if (depth === 0 || kind === 0) return next(2) ? "hY7kP2xQ9mW4vB8nL3zR6tJ1" : LINES.slice(next(LINES.length)).slice(0, 1 + next(3)).join(next(2) ? "\n" : " ")
      if (kind === 1) return [true, false, null][next(3)]
      if (kind === 2) return [make(depth - 1), make(depth - 1)]
      return Object.fromEntries(Array.from({ length: 1 + next(4) }, () => [NAMES[next(NAMES.length)]!, make(depth - 1)]))
    }
    let gated = 0
    for (let i = 0; i < 200; i++) {
      // A secret-named key over each value that is not a string: the search across keys and values is skipped there.
      const value = { [NAMES[next(NAMES.length)]!]: { [NAMES[next(NAMES.length)]!]: make(3) } }
      const out = (await sanitizer.value(value, JSON.stringify(value))).value
      expect(await leftOver(out)).toEqual([])
      if (typeof (Object.values(value)[0] as Record<string, unknown>)[Object.keys(Object.values(value)[0] as object)[0]!] !== "string") gated++
    }
    expect(gated).toBeGreaterThan(100)
  })

  test("the control: a secret whose name is its key is what only the whole JSON shows, and it is replaced", async () => {
    const value = { metadata: { secret_token: "hY7kP2xQ9mW4vB8nL3zR6tJ1" } }
    // Searched one string at a time the value has no name: the whole JSON is what finds it.
    expect(await findSecrets("hY7kP2xQ9mW4vB8nL3zR6tJ1")).toEqual([])
    expect(await leftOver(value)).toEqual(["hY7kP2xQ9mW4vB8nL3zR6tJ1"])
    const out = (await sanitizer.value(value, JSON.stringify(value))).value
    expect(out).toEqual({ metadata: { secret_token: "[REDACTED:generic-secret]" } })
    expect(await leftOver(out)).toEqual([])
  })
})

test("a text sanitized alone is what sanitizing it as a JSON value gives (payloads, homes, secrets, escapes)", async () => {
  const b64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk"
  const pieces = [
    "plain words ", "/home/ada/src/app.ts ", "C:\\Users\\ada\\app ", `${token} `, `password: "hunter2hunter2" `, "data:image/png;base64,iVBORw0KGgo= ",
    b64.slice(0, 59), b64.repeat(20), "\n", "\\n", "\u0001", "%20", "\\u0070assword=%22s3cr3tS3cr3t%22 ", `aws_secret_access_key=${awsKey} `, "/home/adam ",
  ]
  let state = 5
  const next = (n: number) => Math.floor(((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * n)
  const texts = Array.from({ length: 600 }, () => Array.from({ length: 1 + next(6) }, () => pieces[next(pieces.length)]!).join(""))
  let changed = 0
  for (const home of ["/home/ada", "C:\\Users\\ada"]) {
    const sanitizer = createSanitizer({ redact: true, home })
    for (const text of texts) {
      const alone = await sanitizer.text(text)
      expect([text, alone]).toEqual([text, (await sanitizer.value(text, JSON.stringify(text))).value])
      if (alone !== text) changed++
    }
  }
  // The control: most texts change (a payload, a home or a secret in them), so a text judged wrongly would show.
  expect(changed).toBeGreaterThan(600)
})
