/**
 * `opencode export` against sessions made by the real runtime: one rich
 * session (credentials in bash output, a failing tool, todos, a subagent, a
 * text and a binary attachment, reasoning, backtick runs of 3 to 5 and a
 * fence inside a fence) and one that ended in a provider error, exported
 * many ways. Assertions are on what a user sees: files, bytes, exit codes,
 * stdout and stderr.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { marked, type Token, type Tokens } from "marked"
import { turn } from "../support/mock-llm.ts"
import { createSandbox, MOCK_MODEL, OVERLAY_BIN, type RunResult, type Sandbox } from "../support/sandbox.ts"
import { Tmux } from "../support/tmux.ts"

// Fake credentials of real shapes, made at run time (no token-like literal in the source).
const pick = (n: number, alphabet: string) => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join("")
const AWS_KEY_ID = `AKIA${pick(16, "ABCDEFGHJKLMNPQRSTUVWXYZ234567")}`
const AWS_SECRET = pick(40, "aB3dE5gH7jK9mN2pQ4sT6vW8yZ")
const GITHUB_TOKEN = `ghp_${pick(36, "qW3eR5tY7uI9oP2aS4dF6gH8jK")}`
const DB_PASSWORD = `Pw${pick(14, "x7Kq2Lm9Zr4Tn8Vb")}`
// Kinds the overlay's own rules redact (secretlint's preset has none for them).
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const JWT = `${b64url({ alg: "HS256" })}.${b64url({ sub: "ada" })}.${pick(43, "abcdefghijkLMNOPQRST0123456789-_")}`
const WEBHOOK_SECRET = pick(32, "Zr4Tn8Vbx7Kq2Lm9aB3dE5")
const REDIS_PASSWORD = pick(24, "mN2pQ4sT6vW8yZaB3dE5gH7")
// Kinds of rule set 2: passwords that do not look random, on a command line, URL-encoded, a key cut short.
const SMTP_PASSWORD = "correct-horse-battery-staple"
const MYSQL_PASSWORD = "marmalade42"
const ENCODED_PASSWORD = `${pick(10, "aB3dE5gH7jK9mN2p")}%21x`
const KEY_LINE = pick(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
const SECRETS = [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, DB_PASSWORD, JWT, WEBHOOK_SECRET, REDIS_PASSWORD, SMTP_PASSWORD, MYSQL_PASSWORD, ENCODED_PASSWORD, KEY_LINE]
const ENV_FILE = [
  `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}`,
  `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
  `GITHUB_TOKEN=${GITHUB_TOKEN}`,
  `DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app`,
  `SESSION_JWT=${JWT}`,
  `STRIPE_WEBHOOK_SECRET=${WEBHOOK_SECRET}`,
  `REDIS_URL=redis://default:${REDIS_PASSWORD}@cache.internal:6379/0`,
  "MAX_TOKENS=4096",
  `SMTP_PASSWORD=${SMTP_PASSWORD}`,
  "PASSWORD_MIN_LENGTH=12",
  `# restore: mysql -u app -p${MYSQL_PASSWORD} app < dump.sql`,
  "# dev server: docker run -p 8080:80 app",
  `LEGACY_DSN=postgres%3A%2F%2Fapp%3A${ENCODED_PASSWORD}%40db.internal%2Fapp`,
  "# deploy key (cut):",
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  KEY_LINE,
  "",
].join("\n")

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
)

/** The fenced blocks of the final answer, exactly: a run of 3, a fence inside a fence (4), a run of 4 inside 5. */
const CODE = ["ls | wc -l", '```js\nconsole.log("fence inside a fence")\n```', "a run of four: ````"]
const FINAL = [
  "## Summary",
  "",
  "The `.env` file holds credentials; I did not print them again. Inline: `` a`b ``.",
  "",
  "```sh",
  CODE[0],
  "```",
  "",
  "````md",
  CODE[1],
  "````",
  "",
  "`````text",
  CODE[2],
  "`````",
].join("\n")
const REASONING = "I must not repeat the credentials."

let sandbox: Sandbox
let rich: string // the rich session
let child: string // its subagent session
let failing: string // the session that ended in a provider error
let out = 0

/** A fresh folder to export into. */
const folder = () => mkdtempSync(join(sandbox.root, `out-${++out}-`))

const exportIn = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  sandbox.run(["export", ...args], { cwd, env })

/** Exports `args` into a fresh folder; the file it printed, read. */
async function exported(args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<{ result: RunResult; text: string; path: string }> {
  const cwd = folder()
  const result = await exportIn(cwd, args, env)
  expect(result.stderr).not.toContain("Error")
  expect(result.code).toBe(0)
  const path = result.stdout.trim()
  return { result, text: readFileSync(path, "utf8"), path }
}

beforeAll(async () => {
  sandbox = await createSandbox({ title: "Release check" })
  writeFileSync(join(sandbox.project, ".env"), ENV_FILE)
  writeFileSync(join(sandbox.project, "notes.txt"), "Release notes draft\n")
  writeFileSync(join(sandbox.project, "pixel.png"), PNG)
  sandbox.llm.script(
    turn.bash("cat .env", "Show the environment file"),
    turn.tool("read", { filePath: join(sandbox.project, "missing.txt") }),
    turn.tool("todowrite", {
      todos: [
        { content: "check the config", status: "completed", priority: "high" },
        { content: "rotate the keys", status: "pending", priority: "medium" },
      ],
    }),
    turn.tool("task", { description: "Count files", prompt: "count the files", subagent_type: "general" }),
    turn.bash("ls | wc -l", "Count"),
    turn.text("child done: 5 files"),
    turn.text(FINAL, REASONING),
  )
  const before = new Set(sandbox.sessionIDs())
  // The message goes first: --file takes every value after it.
  const run = await sandbox.run(["run", "-m", MOCK_MODEL, "Check the config and count the files", "--file", "notes.txt", "--file", "pixel.png"])
  expect(run.code).toBe(0)
  const made = sandbox.sessionIDs().filter((id) => !before.has(id))
  expect(made).toHaveLength(2)
  const db = sandbox.database()
  rich = db.query<{ id: string }, []>("select id from session where parent_id is null").get()!.id
  child = db.query<{ id: string }, []>("select id from session where parent_id is not null").get()!.id
  db.close()
  const error = await sandbox.prompt("this will fail", [turn.httpError(500, "mock provider exploded", 10)])
  expect(error.code).toBe(1)
  failing = error.sessionIDs[0]!
}, 180_000) // real runtime runs take seconds; the default hook timeout is 5 s

afterAll(async () => {
  await sandbox?.dispose()
})

/** Top-level headings of a Markdown document, as `depth text`. */
const headings = (md: string) =>
  (marked.lexer(md) as Token[]).filter((t): t is Tokens.Heading => t.type === "heading").map((h) => `${h.depth} ${h.text}`)

function dbCount(sql: string, ...params: string[]): number {
  const db = sandbox.database()
  try {
    return db.query<{ n: number }, string[]>(sql).get(...params)!.n
  } finally {
    db.close()
  }
}

describe("Markdown export of a real session", () => {
  test("one level-2 heading per message, User or Assistant; the subagent's messages nested under its call", async () => {
    const { text } = await exported([rich])
    const h = headings(text)
    expect(h[0]).toBe("1 Release check")
    const top = h.filter((x) => x.startsWith("2 "))
    expect(top.every((x) => /^2 (User|Assistant)\b/.test(x))).toBe(true)
    expect(top).toHaveLength(dbCount("select count(*) as n from message where session_id = ?", rich))
    expect(top[0]).toMatch(/^2 User · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    expect(top.slice(1).every((x) => /^2 Assistant · build · mock\/mock-model · \d+\.\d{2} s$/.test(x))).toBe(true)
    const sub = h.indexOf("3 Subagent: Count files (@general subagent)")
    expect(sub).toBeGreaterThan(0)
    expect(h.slice(sub + 1, sub + 4)).toEqual([
      expect.stringMatching(/^4 User · /),
      expect.stringMatching(/^4 Assistant · general · mock\/mock-model/),
      expect.stringMatching(/^4 Assistant · general · mock\/mock-model/),
    ])
    // The answer's own "## Summary" moved two levels down, below its message heading.
    expect(h).toContain("4 Summary")
  })

  test("fenced content (backtick runs of 3, 4 and 5, a fence inside a fence) comes back exactly", async () => {
    const { text } = await exported([rich])
    const codes = (marked.lexer(text) as Token[]).filter((t): t is Tokens.Code => t.type === "code").map((c) => c.text)
    for (const code of CODE) expect(codes).toContain(code)
  })

  test("metadata: id, times with offset, directory, versions, agents, models, totals, todos", async () => {
    const { text } = await exported([rich], { HOME: sandbox.root })
    const head = text.slice(0, text.indexOf("\n## "))
    expect(head).toContain(`- Session: \`${rich}\``)
    expect(head).toMatch(/- Created: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}\n- Updated: \d{4}-/)
    // The exporting user's home is shown as ~.
    expect(head).toContain("- Directory: `~/project`")
    expect(head).toContain("- Runtime: opencode-ai 1.18.33")
    expect(head).toContain("- Overlay: opencode-local-overlay 0.1.0")
    expect(head).toContain("- Agents: build, general")
    expect(head).toContain("- Models: `mock/mock-model` (Mock Model)")
    // Totals count the subagent session's messages too.
    expect(head).toMatch(/- Messages: \d+ \(2 user, \d+ assistant\), in this session and 1 subagent session/)
    expect(head).toContain("- Tool calls: 5 (1 failed)")
    expect(head).toContain("- Errors: 1 (1 failed tool call, 0 assistant errors)")
    expect(head).toMatch(/- Tokens: [\d,]+ input, [\d,]+ output, 0 reasoning, 0 cache read, 0 cache write/)
    expect(head).toContain("- Cost: $0.0000")
    expect(head).toContain("- [x] check the config")
    expect(head).toContain("- [ ] rotate the keys (pending, medium priority)")
    expect(text).not.toContain(sandbox.root)
  })

  test("tool calls, the failed tool with its error, attachments by name, type, size and sha256", async () => {
    const { text } = await exported([rich])
    expect(text).toMatch(/\*\*Tool\*\* `bash` · cat \.env · completed · \d+\.\d{2} s/)
    expect(text).toMatch(/\*\*Tool\*\* `read` · \S+missing\.txt · \*\*failed\*\* · \d+\.\d{2} s\n\n\*\*Error:\*\*\n\n```text\nFile not found: \S+missing\.txt\n```/)
    expect(text).toMatch(/\*\*Tool\*\* `task` · Count files · completed/)
    expect(text).toContain("**File** `notes.txt` · text/plain")
    const sha = createHash("sha256").update(PNG).digest("hex")
    expect(text).toContain(`**File** \`pixel.png\` · image/png · 70 B · sha256 \`${sha}\``)
    expect(text).not.toContain(PNG.toString("base64"))
  })

  test("reasoning only with --thinking; tool output only with --tool-details", async () => {
    const plain = (await exported([rich])).text
    expect(plain).not.toContain(REASONING)
    expect(plain).not.toContain("AWS_SECRET_ACCESS_KEY")
    const full = (await exported([rich, "--thinking", "--tool-details"])).text
    expect(full).toContain(`> **Thinking**\n>\n> ${REASONING}`)
    expect(full).toContain("AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]")
  })

  test("a provider error is shown with its message", async () => {
    const { text } = await exported([failing])
    expect(text).toMatch(/\*\*Error\*\* \(`APIError`\):\n\n```text\n[^`]*mock provider exploded/)
  })

  test("--no-children leaves the subagent session out", async () => {
    const { text } = await exported([rich, "--no-children"])
    expect(text).not.toContain("Subagent:")
    expect(text).not.toContain("child done")
    expect(text).toContain("**Tool** `task` · Count files")
  })
})

describe("redaction", () => {
  test("no secret in Markdown or JSON, with the text around them intact", async () => {
    for (const format of ["markdown", "json"]) {
      const { text } = await exported([rich, "--format", format, "--tool-details"])
      for (const secret of SECRETS) expect(text).not.toContain(secret)
      expect(text).toContain("AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]")
      expect(text).toContain("AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]")
      expect(text).toContain("GITHUB_TOKEN=[REDACTED:github-token]")
      expect(text).toContain("DATABASE_URL=postgres://app:[REDACTED:password]@db.internal:5432/app")
      expect(text).toContain("SESSION_JWT=[REDACTED:jwt]")
      expect(text).toContain("STRIPE_WEBHOOK_SECRET=[REDACTED:generic-secret]")
      expect(text).toContain("REDIS_URL=redis://default:[REDACTED:password]@cache.internal:6379/0")
      expect(text).toContain("MAX_TOKENS=4096")
      expect(text).toContain("SMTP_PASSWORD=[REDACTED:password]")
      expect(text).toContain("PASSWORD_MIN_LENGTH=12")
      expect(text).toContain("mysql -u app -p[REDACTED:password] app < dump.sql")
      expect(text).toContain("docker run -p 8080:80 app")
      expect(text).toContain("LEGACY_DSN=postgres%3A%2F%2Fapp%3A[REDACTED:password]%40db.internal%2Fapp")
      expect(text).toContain("# deploy key (cut):")
      expect(text).toContain("[REDACTED:private-key]")
    }
  })

  test("--no-redact exports them as stored (and says so on stderr)", async () => {
    const { text, result } = await exported([rich, "--format", "json", "--no-redact"])
    for (const secret of SECRETS) expect(text).toContain(secret)
    expect(result.stderr).toContain("Not redacted")
  })
})

describe("JSON export", () => {
  test("holds every message and part id the runtime's own export prints", async () => {
    const own = await sandbox.run(["export", rich], { via: "bare" })
    expect(own.code).toBe(0)
    const theirs = JSON.parse(own.stdout.slice(own.stdout.indexOf("{"))) as {
      messages: Array<{ info: { id: string }; parts: Array<{ id: string }> }>
    }
    const ids = (doc: typeof theirs) => doc.messages.flatMap((m) => [m.info.id, ...m.parts.map((p) => p.id)])
    const { text } = await exported([rich, "--format", "json"])
    const ours = JSON.parse(text)
    expect(ours.format).toBe("opencode-session-export")
    expect(ours.schema_version).toBe(1)
    expect(ours.runtime).toEqual({ name: "opencode-ai", version: "1.18.33" })
    const mine = new Set(ids(ours.session))
    expect(ids(theirs).length).toBeGreaterThan(10)
    for (const id of ids(theirs)) expect(mine).toContain(id)
    // The subagent session is in the same file.
    expect(ours.session.children.map((c: { info: { id: string } }) => c.info.id)).toEqual([child])
    expect(ours.session.todos).toHaveLength(2)
    // Reasoning landed as a reasoning part.
    expect(ours.session.messages.flatMap((m: { parts: Array<{ type: string; text?: string }> }) => m.parts).find((p: { type: string }) => p.type === "reasoning")?.text).toBe(REASONING)
  })

  test("the attachment's bytes are left out: type, size and sha256 remain", async () => {
    const { text } = await exported([rich, "--format", "json"])
    expect(text).not.toContain(PNG.toString("base64"))
    const file = JSON.parse(text).session.messages[0].parts.find((p: { filename?: string }) => p.filename === "pixel.png")
    expect(file.payload).toEqual({ omitted: true, mime: "image/png", size: 70, sha256: createHash("sha256").update(PNG).digest("hex") })
    expect(file.url).toStartWith("[OMITTED:data-url type=image/png size=70 sha256=")
  })
})

describe("repeat exports", () => {
  test("are byte-identical (Markdown; JSON with SOURCE_DATE_EPOCH fixing exported_at)", async () => {
    for (const args of [[rich, "--thinking", "--tool-details", "--diffs"], [rich, "--format", "json"]]) {
      const env = { SOURCE_DATE_EPOCH: "1700000000" }
      const a = await exported(args, env)
      const b = await exported(args, env)
      expect(a.path).not.toBe(b.path)
      expect(Buffer.compare(readFileSync(a.path), readFileSync(b.path))).toBe(0)
    }
    const plain = [await exported([rich]), await exported([rich])]
    expect(plain[0]!.text).toBe(plain[1]!.text)
  })
})

describe("choosing sessions and where output goes", () => {
  test("stdout carries the written path only; the message goes to stderr", async () => {
    const cwd = folder()
    const result = await exportIn(cwd, [rich])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^\/\S+\/[a-z0-9-]+-\d{8}-\d{4}\.md\n$/)
    expect(readdirSync(cwd)).toEqual([result.stdout.trim().split("/").pop()!])
    expect(result.stderr).toContain(`Exported "Release check" (${rich})`)
  })

  test("--stdout writes the document itself to stdout and no file", async () => {
    const cwd = folder()
    const result = await exportIn(cwd, [rich, "--stdout"])
    expect(result.code).toBe(0)
    expect(result.stdout).toStartWith("# Release check\n")
    expect(readdirSync(cwd)).toEqual([])
    const file = await exported([rich])
    expect(result.stdout).toBe(file.text)
  })

  test("--last exports the newest session of the project in the current folder", async () => {
    const result = await exportIn(sandbox.project, ["--last", "--stdout"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`- Session: \`${failing}\``)
  })

  test("-o names the file or the folder", async () => {
    const cwd = folder()
    const named = await exportIn(cwd, [rich, "-o", "log.md"])
    expect(named.stdout).toBe(`${join(cwd, "log.md")}\n`)
    const into = await exportIn(cwd, [rich, "-o", cwd, "--format", "json"])
    expect(into.stdout).toMatch(new RegExp(`^${cwd}/[a-z0-9-]+-\\d{8}-\\d{4}\\.json\\n$`))
  })

  test("--all writes one file per session and a summary; again without --force it refuses, exit 3", async () => {
    const cwd = folder()
    const first = await exportIn(cwd, ["--all", "-o", cwd])
    expect(first.code).toBe(0)
    const paths = first.stdout.trim().split("\n")
    expect(paths).toHaveLength(2)
    expect(readdirSync(cwd).sort()).toEqual(paths.map((p) => p.split("/").pop()!).sort())
    expect(first.stderr).toContain(`Exported 2 of 2 sessions to ${cwd}`)
    const again = await exportIn(cwd, ["--all", "-o", cwd])
    expect(again.code).toBe(3)
    expect(again.stdout).toBe("")
    expect(again.stderr).toContain("2 files already existed and were left as they were (pass --force to replace)")
    const since = await exportIn(cwd, ["--all", "--since", "2099-01-01"])
    expect(since.code).toBe(1)
    expect(since.stderr).toContain("There are no sessions updated since 2099-01-01")
  })

  test.skipIf(!Tmux.available())("without an id on a terminal: a picker, newest first, on stderr", async () => {
    const cwd = folder()
    await using tty = await Tmux.start({ command: [OVERLAY_BIN, "export", "-o", `${cwd}/`], cwd: sandbox.project, env: sandbox.env() })
    const screen = await tty.waitFor("the picker", (s) => s.includes("Export which session?"))
    const rows = screen.split("\n").filter((line) => /^\s+\d+\s+Release check/.test(line))
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^\s+1\s+Release check\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+\/\S+\/project$/)
    await tty.type("2")
    await tty.press("Enter")
    const done = await tty.waitFor("the export", (s) => s.includes("Exported "))
    expect(done).toContain(`(${rich})`)
    const files = readdirSync(cwd)
    expect(files).toHaveLength(1)
    expect(readFileSync(join(cwd, files[0]!), "utf8")).toContain(`- Session: \`${rich}\``)
  }, 60_000)

  test("without an id and without a terminal: a usage error saying how to choose, exit 2", async () => {
    const result = await exportIn(folder(), [])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("no session given. Pass a session id (list them with 'opencode session list'), --last")
  })

  test("--help explains every flag", async () => {
    const result = await exportIn(folder(), ["--help"])
    expect(result.code).toBe(0)
    for (const flag of ["--format", "--output", "--stdout", "--force", "--thinking", "--tool-details", "--diffs", "--no-redact", "--no-children", "--last", "--all", "--since", "--data-dir", "--attach", "Exit codes"])
      expect(result.stdout).toContain(flag)
  })
})
