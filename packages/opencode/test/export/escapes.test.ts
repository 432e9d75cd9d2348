/**
 * Secrets written escaped are found decoded and replaced where they are
 * escaped: the decoded text maps back to the escaped one character for
 * character, and only the escaped span of the secret changes.
 */
import { describe, expect, test } from "bun:test"
import { decodedText, decodeEscapes, escapedLines, escapedSecrets, hasEscapes } from "../../src/export/screen/escapes.ts"
import { findSecrets, replaceSecrets } from "../../src/export/screen/redact.ts"

const redact = async (text: string) => replaceSecrets(text, await findSecrets(text))

describe("escaped secrets", () => {
  test("decoding: printable ASCII only, every decoded character knows where it came from", () => {
    const text = "a%3Db\\u0070c\\\\u0071d\\/e%0Af\\u00e9"
    const decoded = decodeEscapes(text)
    expect(decoded.text).toBe("a=bpcqd/e%0Af\\u00e9")
    expect(decoded.from.length).toBe(decoded.text.length + 1)
    for (let i = 0; i < decoded.text.length; i++) {
      const piece = text.slice(decoded.from[i]!, decoded.from[i + 1]!)
      expect(decodeEscapes(piece).text).toBe(decoded.text[i]!)
    }
    expect(hasEscapes("plain text, 100% sure")).toBe(false)
    expect(hasEscapes("caf\\u00e9 \\u001b[0m")).toBe(false)
    expect(hasEscapes("a%20b")).toBe(true)
  })

  test("a finding maps back to its escaped span; a replacement that keeps the ends changes only the middle", () => {
    const escaped = "x=postgres%3A%2F%2Fapp%3Ahunter2%40db"
    const decoded = decodeEscapes(escaped)
    const [secret] = escapedSecrets(decoded, escaped, {
      find: "postgres://app:hunter2@db",
      replace: "postgres://app:[REDACTED:password]@db",
      kind: "password",
    })
    expect(secret).toEqual({ find: "hunter2", replace: "[REDACTED:password]", kind: "password" })
    const [encoded] = escapedSecrets(decodeEscapes("k=a%21b"), "k=a%21b", { find: "a!b", replace: "[REDACTED:x]", kind: "x" })
    expect(encoded).toEqual({ find: "a%21b", replace: "[REDACTED:x]", kind: "x" })
  })

  test("through findSecrets: the escaped secret goes, the rest of the text stays byte for byte", async () => {
    const key = "aB3dE5gH7jK9mN2pQ4sT6vW8"
    const text = `GET /cb?state=%2Fhome&client_secret%3D${key} HTTP/1.1\nnext line`
    expect(await redact(text)).toBe("GET /cb?state=%2Fhome&client_secret%3D[REDACTED:generic-secret] HTTP/1.1\nnext line")
    // Control: the same text with the secret's name unescaped is found without decoding.
    expect(await redact(text.replace("%3D", "="))).toContain("[REDACTED:generic-secret]")
    // A text with escapes and no secret is returned as it was.
    const plain = "https://example.com/search?q=hello%20world&page=2"
    expect(await redact(plain)).toBe(plain)
  })
})

test("the lines holding an escape are those splitting on every kind of line break gives; decoding them alone, the mapped decoding", () => {
  let state = 11
  const next = (n: number) => ((state = (state * 1103515245 + 12345) >>> 0) % n)
  const pieces = ["a", "b c", "%20", "%2F", "%7e", "%1F", "%", "\\", "\\\\", "\\u0041", "\\\\u0070", "\\/", "\\n", "\\\\n", "\n", "\r\n", "\r", "u0041", "n", " "]
  const texts = Array.from({ length: 3000 }, () => Array.from({ length: 1 + next(40) }, () => pieces[next(pieces.length)]).join(""))
  let withEscapes = 0
  for (const text of texts) {
    const expected = text.split(/\r?\n|\\n/).filter(hasEscapes).join("\n")
    if (expected !== "") withEscapes++
    expect(escapedLines(text)).toBe(expected)
    // The text alone, decoded without the map back, is the mapped decoding's.
    expect(decodedText(text)).toBe(decodeEscapes(text).text)
  }
  // The control: most texts hold an escape, on one line or several.
  expect(withEscapes).toBeGreaterThan(2000)
})
