/**
 * The overlay's rules found a faster way give exactly what they gave before:
 * the generic-secret rule found keyword first (its pattern alone, exec'd in a
 * loop, is the reference) and the entropy counted in arrays (a Map, summed in
 * the same order, is the reference), on the corpus and on generated text.
 */
import { describe, expect, test } from "bun:test"
import { entropy, OVERLAY_RULES } from "../../src/export/screen/secret-rules.ts"
import { PASSWORD_WORD, passwordAssignmentAt } from "../../src/export/screen/password-rules.ts"
import { LOOKALIKES, SECRETS } from "./corpus.ts"

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** Text made of the pieces the pattern cares about, in random order: names, keywords, separators, quotes, values. */
function noisy(seed: number): string {
  const next = random(seed)
  const pieces = [
    "token", "SECRET", "password", "passwd", "pwd", "api_key", "API-KEY", "apikey", "access_key", "client-secret", "credentials", "_pat", "my", "db", ".", "-", "_",
    "=", ":", " ", "\t", "\n", '"', "'", "\\\"", "{", "}", ",", "aB3dE5gH7jK9mN2p", "changeme", "${TOKEN}", "12345678", "x".repeat(45), "prod/db/creds", "Q4sT6vW8yZcF1aB3dE5gH7jK",
  ]
  let out = ""
  const length = 20 + Math.floor(next() * 200)
  for (let i = 0; i < length; i++) out += pieces[Math.floor(next() * pieces.length)]
  return out
}

const reference = (pattern: RegExp, text: string, minValue = 0) => {
  const out: string[] = []
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) if ((m[1] ?? m[0]).length >= minValue) out.push(`${m.index}:${m[0]}|${m[1]}`)
  return out
}

/** Values shorter than this cannot reach the generic rule's entropy of 3.5 bits per character (log2(11) < 3.5). */
const SECRET_VALUE = 12

/**
 * A name that starts inside a value too short to be a secret, and is assigned one: the pattern's loop goes on
 * after the short match, so the name never starts a match; a search that skips short values must not find it.
 */
const SHADOWED = [
  "token=credentials:aB3dE5gH7jK9mN2pQ4",
  'token = "my/secret_x": "aB3dE5gH7jK9mN2pQ4"',
  "api_key: ab+pwd_1: aB3dE5gH7jK9mN2pQ4",
  '{\\"token\\": \\"credentials\\": \\"aB3dE5gH7jK9mN2pQ4\\"}',
]

describe("the overlay's rules, found the fast way", () => {
  const generic = OVERLAY_RULES.find((rule) => rule.kind === "generic-secret")!
  const texts = [
    ...SECRETS.map((s) => s.text),
    ...LOOKALIKES,
    ...SECRETS.map((s) => JSON.stringify({ output: s.text })),
    ...Array.from({ length: 3000 }, (_, seed) => noisy(seed)),
    `const token = await auth.getToken({ scope: "billing", accountId: 7 })\n  apiKey: req.headers["x-api-key"] ? "set" : "unset"`,
    `${"a".repeat(60)}token=${"b".repeat(30)} x_secret_of_a_very_long_name_that_goes_on_and_on=${"Q4sT6vW8yZ".repeat(3)}`,
    ...SHADOWED,
  ]

  test(`the generic-secret rule's matches are its pattern's with values of 12+ characters, on ${texts.length} texts`, () => {
    const differ: string[] = []
    let matches = 0
    for (const text of texts) {
      const expected = reference(generic.pattern, text, SECRET_VALUE)
      const got = [...generic.matches!(text)].map((m) => `${m.index}:${m[0]}|${m[1]}`)
      matches += expected.length
      if (JSON.stringify(got) !== JSON.stringify(expected)) differ.push(`${JSON.stringify(text.slice(0, 120))}\n  fast: ${got}\n  pattern: ${expected}`)
    }
    expect(differ).toEqual([])
    expect(matches).toBeGreaterThan(1000)
  })

  test("a name inside a short value is not a start (control: each text has a secret-like match the loop never reaches)", () => {
    for (const text of SHADOWED) {
      expect([text, [...generic.matches!(text)].map((m) => m[1])]).toEqual([text, []])
      // The control: from the name inside the short value on, the pattern finds a value that would be redacted.
      const inner = text.slice(text.search(/credentials|secret_x|pwd_1/))
      const found = reference(generic.pattern, inner, SECRET_VALUE)
      expect([text, found.length]).toEqual([text, 1])
      expect(generic.reject!(found[0]!.split("|")[1]!)).toBe(false)
    }
  })

  test("entropy is the same to the last bit as counting in a Map", () => {
    const byMap = (text: string) => {
      const counts = new Map<string, number>()
      for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1)
      let bits = 0
      for (const n of counts.values()) {
        const p = n / text.length
        bits -= p * Math.log2(p)
      }
      return bits
    }
    for (const text of [...texts.slice(0, 500), "", "a", "ü-ß-€ token", "aaaaaaab"]) expect([text, entropy(text)]).toEqual([text, byMap(text)])
  })
})

describe("password assignments, found from the operator", () => {
  const rule = OVERLAY_RULES.find((r) => r.kind === "password" && r.pattern.source === PASSWORD_WORD)!
  /** The plain way: every password word, in order, judged where it stands. */
  const reference = (text: string) =>
    [...text.matchAll(new RegExp(PASSWORD_WORD, "gi"))].flatMap((k) => {
      const m = passwordAssignmentAt(text, k.index!, k.index! + k[0].length)
      return m ? [`${m.index}:${m[1]}`] : []
    })
  function wordy(seed: number): string {
    const next = random(seed)
    const pieces = [
      "pass", "PASS", "Pass", "password", "PASSWORD", "passwd", "passphrase", "pwd", "Pwd", "db_", "my", "x", "_", ".", "-", "word", "wd", "phrase",
      "=", ":", ":=", "=>", "==", "::", " ", "\t", "\n", "\\n", '"', "'", '\\"', "]", "[", ",", ";", "hunter2hunter2", "correct-horse-battery", "S3cr3t!", "$PW", "<pw>", "12345678",
    ]
    let out = ""
    const length = 10 + Math.floor(next() * 120)
    for (let i = 0; i < length; i++) out += pieces[Math.floor(next() * pieces.length)]
    return out
  }
  const texts = [...SECRETS.map((s) => s.text), ...LOOKALIKES, ...SECRETS.map((s) => JSON.stringify({ output: s.text })), ...Array.from({ length: 4000 }, (_, seed) => wordy(seed))]

  test(`the same matches as judging every password word, on ${texts.length} texts`, () => {
    const differ: string[] = []
    let matches = 0
    for (const text of texts) {
      const expected = reference(text)
      const got = [...rule.matches!(text)].map((m) => `${m.index}:${m[1]}`)
      matches += expected.length
      if (JSON.stringify(got) !== JSON.stringify(expected)) differ.push(`${JSON.stringify(text.slice(0, 160))}\n  fast: ${got}\n  plain: ${expected}`)
    }
    expect(differ).toEqual([])
    // The control: many of these texts assign a password.
    expect(matches).toBeGreaterThan(500)
  })
})
