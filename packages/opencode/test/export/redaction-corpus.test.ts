import { describe, expect, test } from "bun:test"
import { findSecrets, mayHoldSecret, replaceSecrets } from "../../src/export/screen/redact.ts"
import { createSanitizer } from "../../src/export/screen/sanitize.ts"
import { LOOKALIKES, SECRETS } from "./corpus.ts"

const redact = async (text: string) => replaceSecrets(text, await findSecrets(text))

describe("the redaction corpus", () => {
  test("it is big enough to mean something: 60+ secrets, 60+ look-alikes", () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(60)
    expect(LOOKALIKES.length).toBeGreaterThanOrEqual(60)
  })

  test("every secret is redacted (recall 100%), and the cheap screen sees it in the runtime's JSON too", async () => {
    const sanitizer = createSanitizer({ redact: true })
    const missed: string[] = []
    for (const s of SECRETS) {
      const out = await sanitizer.text(s.text)
      const leaked = out === s.text || !out.includes("[REDACTED:") || (s.secret !== undefined && out.includes(s.secret))
      if (leaked || !mayHoldSecret(JSON.stringify({ output: s.text }))) missed.push(`${s.kind}: ${s.text.slice(0, 80)}`)
    }
    expect(missed).toEqual([])
  })

  test("look-alikes survive: at most 2% touched", async () => {
    const touched: string[] = []
    for (const text of LOOKALIKES) if ((await redact(text)) !== text) touched.push(text)
    expect(touched.length / LOOKALIKES.length).toBeLessThanOrEqual(0.02)
    expect(touched).toEqual([])
  })
})
