import { describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { dataUrlPayload, hasBase64Run, mayHoldPayload, omitPayloads, placeholder } from "../../src/export/screen/payload.ts"

const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256)
const b64 = Buffer.from(bytes).toString("base64")
const sha = createHash("sha256").update(bytes).digest("hex")

describe("binary payloads", () => {
  test("a data URL becomes its type, decoded size and sha256", () => {
    const url = `data:image/png;base64,${b64}`
    expect(dataUrlPayload(url)).toEqual({ kind: "data-url", mime: "image/png", size: 3000, sha256: sha })
    expect(omitPayloads(url)).toBe(`[OMITTED:data-url type=image/png size=3000 sha256=${sha}]`)
  })

  test("a percent-encoded data URL too", () => {
    const p = dataUrlPayload("data:text/plain,hello%20world")!
    expect(p.size).toBe(11)
    expect(p.sha256).toBe(createHash("sha256").update("hello world").digest("hex"))
  })

  test("a data URL inside text is replaced, the text around it kept", () => {
    const out = omitPayloads(`<img src="data:image/png;base64,${b64.slice(0, 400)}"> caption`)
    expect(out).toMatch(/^<img src="\[OMITTED:data-url type=image\/png size=300 sha256=[0-9a-f]{64}\]"> caption$/)
  })

  test("a wrapped base64 block in tool output is replaced; short runs and hashes stay", () => {
    const wrapped = b64.match(/.{1,76}/g)!.join("\n")
    const text = `$ base64 image.bin\n${wrapped}\n$ sha256sum image.bin\n${sha}  image.bin`
    const out = omitPayloads(text)
    expect(out).toBe(`$ base64 image.bin\n${placeholder({ kind: "base64", size: 3000, sha256: sha })}\n$ sha256sum image.bin\n${sha}  image.bin`)
  })

  test("a whole value of base64 (256+ characters) is a payload; a short one is not", () => {
    expect(omitPayloads(b64.slice(0, 400))).toMatch(/^\[OMITTED:base64 size=300 sha256=/)
    expect(omitPayloads(b64.slice(0, 200))).toBe(b64.slice(0, 200))
  })

  test("long identifiers without the mix of base64 are not payloads", () => {
    const long = "a".repeat(2000)
    expect(omitPayloads(long)).toBe(long)
  })

  test("the cheap pre-check sees every payload, in raw text and JSON", () => {
    expect(hasBase64Run("x".repeat(59))).toBe(false)
    expect(hasBase64Run(` ${"x".repeat(60)} `)).toBe(true)
    expect(mayHoldPayload(JSON.stringify({ out: b64.match(/.{1,76}/g)!.join("\n") }))).toBe(true)
    expect(mayHoldPayload(JSON.stringify({ url: "data:text/plain,x" }))).toBe(true)
    expect(mayHoldPayload(JSON.stringify({ text: "short words only" }))).toBe(false)
  })
})
