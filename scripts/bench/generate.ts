/**
 * Benchmark databases with the runtime's real schema: the pinned runtime
 * creates an empty database in a throwaway home, then realistic rows are
 * inserted (user and assistant messages, text, reasoning, tool calls with
 * outputs from 1 KB to 1 MB, step parts, subagent sessions).
 * Deterministic: the same spec gives the same rows.
 */
import { Database } from "bun:sqlite"
import { mkdirSync } from "node:fs"
import { join } from "node:path"

export type SessionSpec = {
  /** Messages in the root session (user and assistant alternate). */
  readonly messages: number
  /** Parts per assistant message, on average (user messages have one text part). */
  readonly partsPerAssistant: number
  /** Subagent sessions, each started by a task call and holding `childMessages` messages. */
  readonly children: number
  readonly childMessages: number
  /**
   * What tool output holds: `prose` (words the secret rules never look at twice) or `code` (lines
   * of code and logs that name tokens, keys, secrets and accounts, as real coding sessions do, with a
   * secret of a real format in every 25th output). Default `prose`.
   */
  readonly content?: "prose" | "code"
}

export type Home = {
  readonly root: string
  readonly env: Record<string, string>
  readonly project: string
  readonly database: string
}

/** A throwaway home whose database the pinned runtime created (empty, migrated). */
export async function runtimeHome(root: string, runtimeBinary: string): Promise<Home> {
  const project = join(root, "project")
  mkdirSync(project, { recursive: true })
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(root, "home"),
    XDG_DATA_HOME: join(root, "data"),
    XDG_CONFIG_HOME: join(root, "config"),
    XDG_CACHE_HOME: join(root, "cache"),
    XDG_STATE_HOME: join(root, "state"),
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
  }
  const proc = Bun.spawn([runtimeBinary, "session", "list"], { cwd: project, env, stdout: "ignore", stderr: "pipe" })
  if ((await proc.exited) !== 0) throw new Error(`the runtime could not create its database: ${await new Response(proc.stderr).text()}`)
  return { root, env, project, database: join(root, "data", "opencode", "opencode.db") }
}

/** A small deterministic PRNG (mulberry32), so runs are comparable. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS =
  "the build fails because a module cannot be resolved so we check the import path then run the tests again and read the error output carefully before changing the configuration file".split(
    " ",
  )

function words(rand: () => number, count: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!)
  return out.join(" ")
}

/** Tool output between 1 KB and 1 MB: mostly small, a few very large (about 4 KB on average). */
function outputSize(rand: () => number): number {
  const r = rand()
  if (r < 0.85) return 1024 + Math.floor(rand() * 1024)
  if (r < 0.99) return 2048 + Math.floor(rand() * 10_240)
  if (r < 0.999) return 65_536 + Math.floor(rand() * 65_536)
  return 1_048_576
}

function output(rand: () => number, size: number): string {
  const line = `${words(rand, 12)}\n`
  return line.repeat(Math.ceil(size / line.length)).slice(0, size)
}

/** Code-like tool output of about `size` characters, every line its own (no cache could win by repetition). */
function codeOutput(rand: () => number, size: number, counter: { n: number }, planted?: Plant): string {
  const lines: string[] = []
  let length = 0
  while (length < size) {
    const line = pickFrom(rand, CODE_LINES)(rand, counter.n++)
    lines.push(line)
    length += line.length + 1
  }
  if (planted !== undefined) lines.splice(Math.floor(rand() * lines.length), 0, planted.line)
  return lines.join("\n")
}

const pickFrom = <T>(rand: () => number, items: ReadonlyArray<T>): T => items[Math.floor(rand() * items.length)]!
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
const chars = (rand: () => number, n: number, alphabet = ALNUM) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("")
const NAMES = ["session", "account", "billing", "upload", "webhook", "invoice", "profile", "search", "export", "token"]

/** Lines of code and logs that name tokens, keys, secrets, passwords and accounts (none of them a secret). */
const CODE_LINES: ReadonlyArray<(rand: () => number, n: number) => string> = [
  (r, n) => `  const token = await auth.getToken({ scope: "${pickFrom(r, NAMES)}", accountId: ${n} })`,
  (r, n) => `  if (!config.secretAccessKey) throw new Error("missing secret for ${pickFrom(r, NAMES)}-${n}")`,
  (r, n) => `export const API_KEY_HEADER_${n} = "x-${pickFrom(r, NAMES)}-key"`,
  (r, n) => `  ${pickFrom(r, NAMES)}Handler_${n}: (req, res) => res.json({ apiKey: req.headers["x-api-key"] ? "set" : "unset" }),`,
  (r, n) => `src/${pickFrom(r, NAMES)}/password.ts:${n}:  const hash = await bcrypt.hash(password, ${10 + (n % 4)})`,
  (r, n) => `    at ${pickFrom(r, NAMES)}Service.authorize (/srv/app/src/auth/${pickFrom(r, NAMES)}.ts:${n}:${n % 80})`,
  (r, n) => `[${n}] INFO refreshed access token for account ${chars(r, 8, "0123456789")} (expires in 3600 s)`,
  (r, n) => `  process.env.${pickFrom(r, NAMES).toUpperCase()}_SECRET_NAME ?? "prod/${pickFrom(r, NAMES)}/credentials-${n}"`,
  (r, n) => `-  const privateKeyPath = path.join(keysDir, "${pickFrom(r, NAMES)}-${n}.pem")`,
  (r, n) => `  account_id: ${n}, token_type: "bearer", session_token_ttl: ${n * 60}`,
  // Look-alikes of the password kinds: none is a password.
  (r, n) => `  ${pickFrom(r, NAMES)}.password_hash = await argon2.hash(password) // attempt ${n}`,
  (r, n) => `$ docker run --rm -p ${8000 + (n % 1000)}:80 -e PASSWORDLESS_LOGIN=true ${pickFrom(r, NAMES)}:latest`,
  (r, n) => `restic -r /backups/${pickFrom(r, NAMES)} --password-file /etc/restic/${n}.pw snapshots`,
  (r, n) => `GET /search?q=${pickFrom(r, NAMES)}%20report&page=${n} 200 (${n % 97} ms)`,
]

/** A secret planted in code-like output, and the line that holds it. */
export type Plant = { readonly secret: string; readonly line: string }

const DICTIONARY = ["correct", "horse", "battery", "staple", "sunshine", "marigold", "river", "quiet", "orange", "winter", "garden", "falcon"]
const phrase = (r: () => number) => `${pickFrom(r, DICTIONARY)}-${pickFrom(r, DICTIONARY)}-${pickFrom(r, DICTIONARY)}${chars(r, 2, "0123456789")}`

/** Secrets of real formats (fake values): what redaction must find among the code. */
const TOKENS: ReadonlyArray<(rand: () => number) => string> = [
  (r) => `ghp_${chars(r, 36)}`,
  (r) => `AKIA${chars(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
  (r) => `sk_live_${chars(r, 24)}`,
  (r) => `xoxb-${chars(r, 12, "0123456789")}-${chars(r, 13, "0123456789")}-${chars(r, 24)}`,
  (r) => `glpat-${chars(r, 20)}`,
  (r) => `npm_${chars(r, 36)}`,
]

/** Where a planted token sits in the output: alone on a line, or in what code makes of it. */
const PLANT_LINES: ReadonlyArray<(secret: string) => string> = [
  (s) => `GITHUB_TOKEN=${s}`,
  (s) => `  const client = new Client({ token: "${s}" })`,
  (s) => `Using credentials ${s} from the environment`,
]

/** Passwords that do not look random, on a command line, URL-encoded, and a private key cut short (issue 24's kinds). */
const PASSWORD_PLANTS: ReadonlyArray<(rand: () => number) => Plant> = [
  (r) => {
    const s = phrase(r)
    return { secret: s, line: `DB_PASSWORD=${s}` }
  },
  (r) => {
    const s = phrase(r)
    return { secret: s, line: `$ mysql -h db -u app -p${s} app_production < migrate.sql` }
  },
  (r) => {
    const s = phrase(r)
    return { secret: s, line: `+ deploy --registry-password=${s} --region eu-west-1` }
  },
  (r) => {
    const s = `${chars(r, 10)}%21${chars(r, 6)}`
    return { secret: s, line: `GET /connect?dsn=postgres%3A%2F%2Fapp%3A${s}%40db.internal%3A5432%2Fprod HTTP/1.1` }
  },
  (r) => {
    const s = chars(r, 64, `${ALNUM}+/`)
    return { secret: s, line: `-----BEGIN RSA PRIVATE KEY-----\n${chars(r, 64, `${ALNUM}+/`)}\n${s}\n[output truncated]` }
  },
]

/** A planted secret: a token in one of its lines, or one of the password kinds. */
const PLANTED: ReadonlyArray<(rand: () => number) => Plant> = [
  ...TOKENS.map((token) => (r: () => number) => {
    const secret = token(r)
    return { secret, line: pickFrom(r, PLANT_LINES)(secret) }
  }),
  ...PASSWORD_PLANTS,
]

type Ids = { next: (prefix: string) => string }

function ids(seed: number): Ids {
  let n = 0
  // Sorted like the runtime's ids: a time-ordered prefix, then a counter.
  return { next: (prefix) => `${prefix}_${seed.toString(36).padStart(4, "0")}${(n++).toString(36).padStart(10, "0")}` }
}

/** An assistant message's info as the runtime stores it (one model, fixed token counts). */
function assistantInfo(home: Home, parentID: string, created: number, completed: number, cost: number) {
  return {
    parentID,
    role: "assistant",
    mode: "build",
    agent: "build",
    path: { cwd: home.project, root: home.project },
    cost,
    tokens: { total: 5200, input: 4000, output: 1000, reasoning: 200, cache: { read: 3000, write: 0 } },
    modelID: "claude-sonnet-4",
    providerID: "anthropic",
    time: { created, completed },
    finish: "stop",
  }
}

/**
 * Inserts one root session (and its subagent sessions) into `database`.
 * Returns the root session's id.
 */
export function insertSession(
  db: Database,
  home: Home,
  spec: SessionSpec,
  seed: number,
  start = 1_790_000_000_000,
  /** Receives each secret planted in code-like output. */
  planted?: string[],
): string {
  const rand = random(seed)
  const code = spec.content === "code"
  const lineCounter = { n: 0 }
  let bashOutputs = 0
  const id = ids(seed)
  const insertSessionRow = db.prepare(
    `insert into session (id, project_id, parent_id, slug, directory, title, version, cost, tokens_input, tokens_output, tokens_reasoning, tokens_cache_read, tokens_cache_write, time_created, time_updated)
     values (?, 'global', ?, ?, ?, ?, '1.18.33', ?, ?, ?, 0, 0, 0, ?, ?)`,
  )
  const insertMessage = db.prepare(
    "insert into message (id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?)",
  )
  const insertPart = db.prepare(
    "insert into part (id, message_id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?, ?)",
  )

  let clock = start
  const tick = (ms: number) => (clock += ms)

  const fill = (sessionID: string, messages: number, childIDs: string[]) => {
    let parentUser = ""
    let children = [...childIDs]
    for (let m = 0; m < messages; m++) {
      const messageID = id.next("msg")
      const created = tick(500 + Math.floor(rand() * 5000))
      if (m % 2 === 0) {
        parentUser = messageID
        const data = {
          role: "user",
          time: { created },
          agent: "build",
          model: { providerID: "anthropic", modelID: "claude-sonnet-4" },
          summary: { diffs: [] },
        }
        insertMessage.run(messageID, sessionID, created, created, JSON.stringify(data))
        insertPart.run(id.next("prt"), messageID, sessionID, created, created, JSON.stringify({ type: "text", text: words(rand, 20 + Math.floor(rand() * 60)) }))
        continue
      }
      const completed = tick(2000 + Math.floor(rand() * 30_000))
      const data = assistantInfo(home, parentUser, created, completed, 0.0123)
      insertMessage.run(messageID, sessionID, created, completed, JSON.stringify(data))
      const parts = Math.max(3, Math.round(spec.partsPerAssistant * (0.5 + rand())))
      const part = (body: Record<string, unknown>) =>
        insertPart.run(id.next("prt"), messageID, sessionID, created, completed, JSON.stringify(body))
      part({ type: "step-start", snapshot: "8111d2553897693c8c59f1b3a1a7868e7b2cab9a" })
      for (let p = 0; p < parts - 2; p++) {
        const r = rand()
        const t = { start: created + p * 10, end: created + p * 10 + 5 }
        if (r < 0.15) part({ type: "reasoning", text: words(rand, 40 + Math.floor(rand() * 120)), time: t })
        else if (r < 0.4) part({ type: "text", text: `${words(rand, 30 + Math.floor(rand() * 150))}\n\n\`\`\`ts\nconst x = 1\n\`\`\``, time: t })
        else if (children.length > 0 && r < 0.45) {
          const child = children.shift()!
          part({
            type: "tool",
            tool: "task",
            callID: id.next("call"),
            state: {
              status: "completed",
              input: { description: "Investigate the failure", prompt: words(rand, 30), subagent_type: "general" },
              output: words(rand, 50),
              metadata: { sessionId: child },
              title: "Investigate the failure",
              time: t,
            },
          })
        } else {
          const failed = rand() < 0.03
          // Code-like outputs are about 2 KB each (the redaction benchmark's sessions), with a secret in every 25th kept one.
          const plant = code && !failed && ++bashOutputs % 25 === 0 ? pickFrom(rand, PLANTED)(rand) : undefined
          if (plant !== undefined) planted?.push(plant.secret)
          const out = code ? codeOutput(rand, 1536 + Math.floor(rand() * 1024), lineCounter, plant) : output(rand, outputSize(rand))
          part({
            type: "tool",
            tool: "bash",
            callID: id.next("call"),
            state: failed
              ? { status: "error", input: { command: "bun test", description: "Run tests" }, error: "exit code 1", time: t }
              : {
                  status: "completed",
                  input: { command: "bun test", description: "Run tests" },
                  output: out,
                  metadata: { output: out.slice(0, 200), exit: 0, truncated: false },
                  title: "bun test",
                  time: t,
                },
          })
        }
      }
      part({
        type: "step-finish",
        reason: "stop",
        snapshot: "8111d2553897693c8c59f1b3a1a7868e7b2cab9a",
        tokens: data.tokens,
        cost: data.cost,
      })
    }
    return clock
  }

  const rootID = id.next("ses")
  const childIDs = Array.from({ length: spec.children }, () => id.next("ses"))
  const created = clock
  db.transaction(() => {
    insertSessionRow.run(rootID, null, `bench-${seed}`, home.project, `Benchmark session ${seed}`, 1.23, 100_000, 20_000, created, created)
    for (const child of childIDs) {
      insertSessionRow.run(child, rootID, `bench-${seed}-child`, home.project, "Subagent", 0.1, 1000, 200, created, created)
      fill(child, spec.childMessages, [])
    }
    const end = fill(rootID, spec.messages, childIDs)
    db.prepare("update session set time_updated = ? where id = ?").run(end, rootID)
  })()
  return rootID
}

export function openForWriting(path: string): Database {
  const db = new Database(path)
  db.exec("pragma journal_mode = wal; pragma synchronous = off;")
  return db
}

/**
 * One more turn at the end of a session, as a runtime adds it: a prompt, and
 * an answer with a bash call whose output is code-like, the session's
 * `time_updated` moved on. `n` makes each turn's ids and words its own; the
 * answer holds `marker`, so a search can find this turn.
 */
export function appendTurn(db: Database, home: Home, sessionID: string, n: number, marker: string): void {
  const last = db.query<{ t: number }, [string]>("select max(time_created) as t from message where session_id = ?").get(sessionID)!.t
  const rand = random(90_000 + n)
  const user = `msg_zzturn${n.toString(36).padStart(6, "0")}a`
  const assistant = `msg_zzturn${n.toString(36).padStart(6, "0")}b`
  const created = last + 1_000
  const completed = created + 4_000
  const insertMessage = db.prepare("insert into message (id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?)")
  const insertPart = db.prepare("insert into part (id, message_id, session_id, time_created, time_updated, data) values (?, ?, ?, ?, ?, ?)")
  const part = (i: number, messageID: string, at: number, body: Record<string, unknown>) =>
    insertPart.run(`prt_zzturn${n.toString(36).padStart(6, "0")}${i}`, messageID, sessionID, at, at, JSON.stringify(body))
  db.transaction(() => {
    insertMessage.run(user, sessionID, created, created, JSON.stringify({ role: "user", time: { created }, agent: "build", model: { providerID: "anthropic", modelID: "claude-sonnet-4" }, summary: { diffs: [] } }))
    part(0, user, created, { type: "text", text: words(rand, 30) })
    const data = assistantInfo(home, user, created, completed, 0.01)
    insertMessage.run(assistant, sessionID, created, completed, JSON.stringify(data))
    const out = codeOutput(rand, 2048, { n: 0 }, undefined)
    const t = { start: created, end: completed }
    part(1, assistant, completed, { type: "step-start", snapshot: "8111d2553897693c8c59f1b3a1a7868e7b2cab9a" })
    part(2, assistant, completed, { type: "tool", tool: "bash", callID: `call_zzturn${n}`, state: { status: "completed", input: { command: "bun test", description: "Run tests" }, output: out, metadata: { output: out.slice(0, 200), exit: 0, truncated: false }, title: "bun test", time: t } })
    part(3, assistant, completed, { type: "text", text: `${words(rand, 40)} ${marker}`, time: t })
    part(4, assistant, completed, { type: "step-finish", reason: "stop", snapshot: "8111d2553897693c8c59f1b3a1a7868e7b2cab9a", tokens: data.tokens, cost: data.cost })
    db.prepare("update session set time_updated = ? where id = ?").run(completed, sessionID)
  })()
}

/** How many parts a benchmark database holds. */
export function partCount(path: string): number {
  const db = new Database(path, { readonly: true })
  const n = (db.query("select count(*) as n from part").get() as { n: number }).n
  db.close()
  return n
}
