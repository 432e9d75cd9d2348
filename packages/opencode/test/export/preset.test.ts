/**
 * The preset run directly (src/export/screen/preset.ts) reports what
 * secretlint's own `lintSource` reports with the same configuration: the same
 * rule messages, data and ranges, in the same order, on the labelled corpus,
 * its JSON-escaped form, and generated code-like text with secrets of every
 * rule planted at random places. The one intended difference, the comment
 * filter, is shown on its own.
 */
import { describe, expect, test } from "bun:test"
import { lintSource } from "@secretlint/core"
import { creator } from "@secretlint/secretlint-rule-preset-recommend"
import { loadPreset, type PresetReport } from "../../src/export/screen/preset.ts"
import { LOOKALIKES, SECRETS } from "./corpus.ts"
import { SAMPLES } from "./secrets.ts"

type LintConfig = Parameters<typeof lintSource>[0]["options"]["config"]

/** The configuration the overlay used with `lintSource`. */
const CONFIG: LintConfig = {
  rules: [
    {
      id: "@secretlint/secretlint-rule-preset-recommend",
      rule: creator,
      rules: [{ id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } }],
    },
  ],
}

async function core(content: string): Promise<PresetReport[]> {
  const result = await lintSource({
    source: { content, filePath: "session.npmrc", ext: ".npmrc", contentType: "text" },
    options: { config: CONFIG, maskSecrets: false },
  })
  return result.messages.map((m) => ({ messageId: m.messageId, ...(m.data ? { data: m.data } : {}), range: m.range }))
}

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const CODE = [
  (i: number) => `  const token${i} = await getSecret("account_${i}", { apiKey: env.API_KEY_${i} })`,
  (i: number) => `  if (!secretAccessKey) throw new Error("missing secret for account ${i}")`,
  (i: number) => `export const PRIVATE_KEY_PATH = "./keys/dev-${i}.pem" // not the key itself`,
  (i: number) => `${i}| const client = new S3Client({ credentials: { accessKeyId, secretAccessKey } })`,
  (i: number) => `  "authorization": req.headers.authorization, // handler ${i}`,
  (i: number) => `postgres://localhost:5432/app_${i} ok, https://example.com/hooks/${i}`,
  (i: number) => `    at Object.<anonymous> (/home/ada/src/token-${i}.ts:${i}:7)`,
  (i: number) => `AWS_REGION=eu-west-${i % 3} ACCOUNT_ALIAS=team-${i} SG.enabled=true dapi_version=${i}`,
]

/** Code-like lines naming tokens, keys and secrets, with real-format secrets planted among them. */
function generated(seed: number): string {
  const next = random(seed)
  const samples = Object.values(SAMPLES).map((s) => s.text)
  const lines: string[] = []
  const count = 20 + Math.floor(next() * 60)
  for (let i = 0; i < count; i++) {
    const line = CODE[Math.floor(next() * CODE.length)]!(i)
    if (next() < 0.15) {
      const secret = samples[Math.floor(next() * samples.length)]!
      const at = Math.floor(next() * line.length)
      lines.push(`${line.slice(0, at)} ${secret} ${line.slice(at)}`)
    } else lines.push(line)
  }
  return lines.join("\n")
}

/** Spellings a marker could miss: odd case where a rule ignores it, characters a marker might not expect. */
const EDGES = [
  `git clone https://ab.cd-ef:x-oauth-basic@github.com/org/repo.git`,
  `HTTPS://HOOKS.SLACK.COM/SERVICES/TABCDEFGH/BABCDEFGH/abcdefghijklmnopqrstuvwx`,
  `MongoDB+SRV://app:s3cr3t-pass@cluster0.example.net/db and JDBC:MYSQL://root:pw12345@h/db and PostgreSQL://u:p4ssword@h:5432/x`,
  `ftp://user_1:pa-ss_word@files.example.com/x.tgz`,
  `AWS_Secret_Access_Key = "${"aB3dE5gH7jK9mN2pQ4sT6vW8yZcF1aB3dE5gH7jK"}"`,
  `account_id: "1234-5678-9012"`,
]

describe("the preset run directly", () => {
  const texts = [
    ...EDGES,
    ...EDGES.map((text) => JSON.stringify({ output: text })),
    ...SECRETS.map((s) => s.text),
    ...LOOKALIKES,
    ...SECRETS.map((s) => JSON.stringify({ output: s.text })),
    ...Array.from({ length: 300 }, (_, seed) => generated(seed)),
    Object.values(SAMPLES).map((s) => s.text).join("\n"),
  ].filter((text) => !text.includes("secretlint-disable")) // the one intended difference, tested below

  test(`reports what secretlint's lintSource reports, to the letter, on ${texts.length} texts`, async () => {
    const scan = await loadPreset()
    const differ: string[] = []
    let reports = 0
    for (const text of texts) {
      const [ours, theirs] = [await scan(text), await core(text)]
      reports += theirs.length
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ.push(`${text.slice(0, 80)}\n  ours: ${JSON.stringify(ours)}\n  core: ${JSON.stringify(theirs)}`)
    }
    expect(differ).toEqual([])
    // The check compared something: the corpus and the planted secrets make hundreds of reports.
    expect(reports).toBeGreaterThan(200)
  })

  test("scans running at once each get their own reports", async () => {
    const scan = await loadPreset()
    const some = texts.slice(0, 60)
    const together = await Promise.all(some.map((text) => scan(text)))
    const alone: PresetReport[][] = []
    for (const text of some) alone.push([...(await scan(text))])
    expect(together.map((r) => JSON.stringify(r))).toEqual(alone.map((r) => JSON.stringify(r)))
  })

  test("a secretlint-disable comment in the text does not switch the scan off (core's did: a session could hide its own secrets)", async () => {
    const text = `# secretlint-disable\n${SAMPLES.github!.text}`
    expect(await core(text)).toEqual([])
    expect((await (await loadPreset())(text)).map((r) => r.messageId)).toEqual(["GITHUB_TOKEN"])
  })
})
