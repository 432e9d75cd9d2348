import { describe, expect, test } from "bun:test"
import { findSecrets, homeReplacer, kindOf, mayHoldSecret, readSecretPlan, replaceSecrets, secretFor, secretPlan, secretReplacer } from "../../src/export/screen/redact.ts"
import { OVERLAY_RULES, ruleSecretsFor } from "../../src/export/screen/secret-rules.ts"
import { PRESET_MARKERS, presetRulesFor } from "../../src/export/screen/preset.ts"
import { SAMPLES } from "./secrets.ts"


describe("secret redaction (secretlint recommended preset)", () => {
  test("the preset has exactly the rules sampled here (a new rule needs a sample and a marker)", async () => {
    const { rules } = await import("@secretlint/secretlint-rule-preset-recommend")
    const ids = rules.map((r) => r.meta.id.replace("@secretlint/secretlint-rule-", "")).sort()
    expect(ids).toEqual(
      [
        "1password", "anthropic", "aws", "basicauth", "cloudflare", "database-connection-string", "databricks",
        "docker", "figma", "filter-comments", "gcp", "github", "gitlab", "grafana", "groq", "hashicorp-vault",
        "huggingface", "linear", "notion", "npm", "openai", "privatekey", "sendgrid", "shopify", "slack", "stripe",
        "tailscale", "vercel",
      ].sort(),
    )
  })

  for (const [rule, { text, kind }] of Object.entries(SAMPLES)) {
    test(`${rule}: marked, found, and replaced by [REDACTED:${kind}]`, async () => {
      const content = `line before\n${text}\nline after`
      // The fast path may only skip texts the rule set cannot report on: its markers must see every sample,
      // as raw text and as the runtime stores it (JSON).
      expect(mayHoldSecret(content)).toBe(true)
      expect(mayHoldSecret(JSON.stringify({ output: content }))).toBe(true)
      const secrets = await findSecrets(content)
      expect(secrets.map((s) => s.kind)).toContain(kind)
      const redacted = replaceSecrets(content, secrets)
      expect(redacted).toContain(kind === "password" ? "[REDACTED:password]" : `[REDACTED:${kind}]`)
      expect(redacted.startsWith("line before\n")).toBe(true)
      expect(redacted.endsWith("\nline after")).toBe(true)
    })
  }

  test("only the password of a URL is replaced; the rest stays readable", async () => {
    const text = `DATABASE_URL=${SAMPLES.postgres!.text}`
    const out = replaceSecrets(text, await findSecrets(text))
    expect(out).toBe("DATABASE_URL=postgres://admin:[REDACTED:password]@db.example.com:5432/app")
  })

  test("an AWS key pair in an .env: both values go, the names stay", async () => {
    const id = SAMPLES["aws key id"]!.text
    const key = SAMPLES.aws!.text.split("=")[1]!
    const env = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${key}\nREGION=eu-west-1\n`
    const out = replaceSecrets(env, await findSecrets(env))
    expect(out).toBe("AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]\nAWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]\nREGION=eu-west-1\n")
  })

  test("a secret deep inside a long text is found (windows around markers)", async () => {
    const filler = "lorem ipsum dolor sit amet\n".repeat(20_000)
    const token = SAMPLES.github!.text
    const text = `${filler}token=${token}\n${filler}`
    const secrets = await findSecrets(text)
    expect(secrets.map((s) => s.find)).toEqual([token])
  })

  test("text without markers is not linted and has no secrets", async () => {
    const text = "Nothing to see: just words, numbers 1234 and paths /usr/lib."
    expect(mayHoldSecret(text)).toBe(false)
    expect(await findSecrets(text)).toEqual([])
  })

  test("the rule set's own examples are not secrets", async () => {
    expect(await findSecrets("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AKIAIOSFODNN7EXAMPLE")).toEqual([])
  })

  test("kinds are the rule's message id in kebab case", () => {
    expect(kindOf("AWSSecretAccessKey")).toBe("aws-secret-access-key")
    expect(kindOf("GITHUB_TOKEN")).toBe("github-token")
    expect(kindOf("PostgreSQLConnection")).toBe("postgresql-connection")
  })
})

describe("home directory", () => {
  test("is shown as ~, whole path components only", () => {
    const home = homeReplacer("/home/ada")!
    expect(home("/home/ada/project and /home/ada")).toBe("~/project and ~")
    expect(home("/home/adam/x /home/ada.old")).toBe("/home/adam/x /home/ada.old")
  })

  test("a root or missing home is left alone", () => {
    expect(homeReplacer("/")).toBeUndefined()
    expect(homeReplacer(undefined)).toBeUndefined()
  })
})

describe("secretReplacer: replaceSecrets for every string of a value", () => {
  test("the same result as replaceSecrets, with few secrets and with many (overlapping, nested and short ones included)", () => {
    const few = [secretFor("abcdef", "x"), secretFor("xyzabc", "y"), secretFor("ab", "z")]
    const many = [
      ...few,
      ...Array.from({ length: 200 }, (_, i) => secretFor(`ghp_${String(i).padStart(36, "k")}`, "github-token")),
      secretFor("ghp_kkkk", "short-overlap"),
      secretFor("kkkk1", "inside"),
    ]
    const texts = [
      "xyzabcdef and abcdef and ab",
      `token ${many[10]!.find}; again ${many[10]!.find}, and ${many[150]!.find}ghp_kkkk kkkk1`,
      "nothing here",
      "",
      `${many[7]!.find}${many[8]!.find}`,
    ]
    for (const secrets of [few, many]) {
      const replace = secretReplacer(secrets)
      for (const text of texts) expect(replace(text)).toBe(replaceSecrets(text, secrets))
    }
  })
})

describe("the AWS rule's marker reads on to the value", () => {
  const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKQ"
  // Spellings the rule's patterns accept: quotes, spaces, tabs and line breaks around `:`, `=` or `=>`.
  const written = [
    `AWS_SECRET_ACCESS_KEY=${key}`,
    `aws_secret_access_key = "${key}"`,
    `"SecretAccessKey":\n  '${key}'`,
    `secret_access_key =>\t"${key}"`,
    `secretAccessKey\u000b:\f${key}`,
    `AWS_ACCOUNT_ID=1234-5678-9012`,
    `"accountId": "123456789012"`,
    `account_id :\n 1234-56789012`,
  ]
  for (const text of written) {
    test(`${JSON.stringify(text)}: marked raw and as JSON, and found`, async () => {
      expect(mayHoldSecret(text)).toBe(true)
      expect(mayHoldSecret(JSON.stringify({ output: `line\n${text}\nline` }))).toBe(true)
      expect((await findSecrets(text)).map((s) => s.kind).some((k) => k.startsWith("aws-"))).toBe(true)
    })
  }

  test("code that names secrets and accounts without assigning one is not marked for it (what it is for)", () => {
    const code = [
      `  if (!config.secretAccessKey) throw new Error("missing secret for billing-12")`,
      `  const token = await auth.getToken({ scope: "upload", accountId: 1234 })`,
      `  account_id: 77, token_type: "bearer", session_token_ttl: 4620`,
    ].join("\n")
    expect(presetRulesFor(code).has("@secretlint/secretlint-rule-aws")).toBe(false)
    // The control: the same code with an account id of the rule's form is marked.
    expect(presetRulesFor(`${code}\naccount_id: 1234-5678-9012`).has("@secretlint/secretlint-rule-aws")).toBe(true)
  })
})

test("a short text's markers, read all at once first, give the plan each marker gives on its own", async () => {
  const { LOOKALIKES, SECRETS } = await import("./corpus.ts")
  const texts = [
    ...Object.values(SAMPLES).map((s) => s.text),
    ...SECRETS.map((s) => s.text),
    ...LOOKALIKES,
    "completed", "bash", "prt_01JABCDEF", "Run tests", "git status", "token", "x-api-key", "mysql -p", "a://b",
  ].flatMap((t) => [t, JSON.stringify(t), t.slice(0, 40), t.slice(-40)])
  const short = texts.filter((t) => t.length <= 256)
  const marked = short.filter((t) => presetRulesFor(t).size > 0 || ruleSecretsFor(t).length > 0)
  for (const text of short) {
    const plan = secretPlan(text)
    expect([[...plan.preset].sort(), plan.rules.map((r) => r.kind)]).toEqual([[...presetRulesFor(text)].sort(), ruleSecretsFor(text).map((r) => r.kind)])
  }
  // The control: most of these texts are marked, so a union that missed one would show here.
  expect(marked.length).toBeGreaterThan(short.length / 2)
})

test("a marker's gate is in every text the marker matches (control: each gated marker matches some)", async () => {
  const { SECRETS, LOOKALIKES } = await import("./corpus.ts")
  const texts = [...Object.values(SAMPLES).map((s) => s.text), ...SECRETS.map((s) => s.text), ...LOOKALIKES].flatMap((t) => [t, JSON.stringify({ output: t })])
  const gated = [...PRESET_MARKERS, ...OVERLAY_RULES].filter((m) => m.gate !== undefined)
  expect(gated.length).toBeGreaterThanOrEqual(3)
  for (const m of gated) {
    const matched = texts.filter((t) => m.marker.test(t))
    expect([m.marker.source, matched.length > 0]).toEqual([m.marker.source, true])
    for (const text of matched) expect([m.gate, text]).toEqual([m.gate, text.includes(m.gate!) ? text : "(no gate)"])
  }
})

test("a short text's remembered plan is its own, also after another text took its slot and gave it back", () => {
  // The same length and the same first, middle and last characters: one slot for both.
  const [marked, clear] = ["pass=hunter2x", "past=hunter2x"]
  const plans = (text: string) => [[...secretPlan(text).preset].sort(), secretPlan(text).rules.map((r) => r.kind)]
  const read = (text: string) => [[...readSecretPlan(text).preset].sort(), readSecretPlan(text).rules.map((r) => r.kind)]
  for (const text of [marked, clear, marked, marked, clear, clear, marked]) expect([text, plans(text)]).toEqual([text, read(text)])
  // The control: the two plans differ, so the one slot giving either to the other would show.
  expect(read(marked)).not.toEqual(read(clear))
  // A session's texts, in order and again: each plan is the one read.
  const texts = Array.from({ length: 20_000 }, (_, i) => [`prt_${i.toString(36)}`, "completed", `token=${i}x${i}`, "bash", `-p${i % 97}`][i % 5]!)
  for (const text of [...texts, ...texts]) expect(secretPlan(text)).toEqual(readSecretPlan(text))
})

test("a password on a command line is marked raw and as JSON, a tab before its option too", async () => {
  const lines = ["mysql -u root -pS3cretPw db", "mysqldump\t-pS3cretPw db", "docker login -u me -p hunter2xyz reg.io", "redis-cli -h x\t-a s3cr3tpw", "sshpass -p pw123456 ssh host"]
  for (const line of lines) {
    expect(mayHoldSecret(line)).toBe(true)
    expect(mayHoldSecret(JSON.stringify({ output: `$ ${line}\nok` }))).toBe(true)
    expect((await findSecrets(line)).map((s) => s.kind)).toContain("password")
  }
  // The control: the same options after other commands are not marked for it.
  expect(ruleSecretsFor("docker run --rm -p 8080:80 app && ls -a").map((r) => r.kind)).toEqual([])
})
