/**
 * Team sharing at scale (`bun run bench:team`): the team share server under
 * many publishers, each speaking the runtime's share protocol through an
 * overlay endpoint of its own (member token, redaction and the outbox in the
 * path, as a runtime's /share goes), plus real runtimes publishing through
 * the overlay at the same time. Two instances on one PostgreSQL (publish to
 * one, read from the other), then one instance on SQLite. Measured: the time
 * from an update reaching the overlay's endpoint to its being readable on the
 * reading instance (p50/p99, seen through the page's event stream), updates
 * lost (each share read back must equal what was sent), each instance's peak
 * memory, and the endpoints' process's. Writes its section of BENCHMARKS.md.
 *
 *   bun scripts/bench-team.ts [--publishers 200] [--updates 50] [--interval-ms 1000] [--runtimes 2] [--backends postgres,sqlite]
 */
import { mkdirSync, readFileSync, existsSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { teamEndpoint, type TeamEndpoint } from "../packages/opencode/src/team/endpoint.ts"
import { TeamLedger } from "../packages/opencode/src/team/ledger.ts"
import { turn } from "../test/support/mock-llm.ts"
import { startPostgres } from "../test/support/postgres.ts"
import { createSandbox, RUNTIME } from "../test/support/sandbox.ts"
import { memberToken, startShareServer, type RunningShareServer } from "../test/support/share-server.ts"
import { mergeSections } from "./bench/sections.ts"

const ROOT = join(import.meta.dir, "..")
const { values } = parseArgs({
  options: {
    publishers: { type: "string", default: "200" },
    updates: { type: "string", default: "50" },
    "interval-ms": { type: "string", default: "1000" },
    runtimes: { type: "string", default: "2" },
    backends: { type: "string", default: "postgres,sqlite" },
    out: { type: "string", default: join(ROOT, "BENCHMARKS.md") },
  },
})
const PUBLISHERS = Number(values.publishers)
const UPDATES = Number(values.updates)
const INTERVAL = Number(values["interval-ms"])
const RUNTIMES = Number(values.runtimes)
const BACKENDS = values.backends!.split(",").filter(Boolean) as Array<"postgres" | "sqlite">
const log = (line: string) => process.stderr.write(`${line}\n`)
// A GitHub token of the real format (made up), in every 10th update: none may reach a server.
const SECRET = "ghp_Zq7RkV2mXw9LbT4nYc8PdH3sJf6GaE1uKo5Q"

/** About 1 KB of code-like text, different for every update. */
const update = (publisher: number, n: number) =>
  [
    `// publisher ${publisher}, update ${n}`,
    `export async function handler${n}(request: Request): Promise<Response> {`,
    `  const token = request.headers.get("authorization")?.slice(7) ?? ""`,
    `  if (!token) return new Response("missing token", { status: 401 })`,
    `  const account = await accounts.find({ id: ${publisher * 1000 + n}, apiKey: env.API_KEY_${n % 7} })`,
    `  log.info("served", { account: account.id, elapsed: ${n * 13 % 997} })`,
    n % 10 === 0 ? `  // rotated: old key ${SECRET}` : `  // nothing to rotate in update ${n}`,
    "  return Response.json(account)",
    "}",
  ].join("\n").padEnd(1024, " ")

const percentile = (sorted: ReadonlyArray<number>, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
const ms = (n: number) => (Number.isNaN(n) ? "—" : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`)
const mib = (kb: number) => `${Math.round(kb / 1024)} MiB`
/** Peak resident memory of a process (Linux's VmHWM), in KiB. */
const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN)

type Result = {
  readonly backend: string
  readonly instances: number
  readonly sent: number
  readonly seen: number
  readonly lost: number
  readonly leaked: number
  readonly latencies: number[]
  readonly wallMs: number
  readonly serverPeakKb: number[]
  readonly endpointsPeakKb: number
  readonly runtimes: { readonly ok: number; readonly equal: number }
}

async function run(backend: "postgres" | "sqlite"): Promise<Result> {
  log(`\n${backend}: ${PUBLISHERS} publishers × ${UPDATES} updates every ${INTERVAL} ms, ${RUNTIMES} real runtimes`)
  const sandbox = await createSandbox({ prefix: "bench-team-", project: { share: "manual" } })
  const pg = backend === "postgres" ? await startPostgres() : undefined
  const database = pg?.url ?? join(sandbox.root, "share.db")
  const common = ["--database", database, "--rate-limit", "1000000"]
  const servers: RunningShareServer[] = await Promise.all((backend === "postgres" ? [0, 1] : [0]).map(() => startShareServer(sandbox, common)))
  const [writer, reader] = [servers[0]!, servers.at(-1)!]
  const token = await memberToken(sandbox, "bench@example.com", ["--database", database])
  const scope = Effect.runSync(Scope.make())
  const ledgers = join(sandbox.root, "ledgers")
  mkdirSync(ledgers, { recursive: true })
  try {
    // One endpoint per publisher, each with its own ledger and outbox, as each member's overlay has.
    const endpoints: TeamEndpoint[] = []
    for (let i = 0; i < PUBLISHERS; i++) {
      const ledger = Context.get(await Effect.runPromise(Layer.buildWithScope(TeamLedger.layer(join(ledgers, `${i}.db`)), scope)), TeamLedger)
      endpoints.push(await Effect.runPromise(Scope.provide(teamEndpoint({ origin: writer.url, ledger, token: () => Effect.succeed(token) }), scope)))
    }
    const sentAt = new Map<string, number>()
    const seenAt = new Map<string, number>()
    const shares: Array<{ id: string; parts: string[] }> = []
    const auth = { authorization: `Bearer ${token}` }

    /** Follows a share on the reading instance as a page does: its event stream, then its data. */
    const follow = async (slug: string, signal: AbortSignal) => {
      let reading: Promise<void> | undefined
      let again = false
      const readData = async () => {
        const items = (await (await fetch(`${reader.url}/api/share/${slug}/data`, { headers: auth })).json()) as Array<{ type: string; data: { id: string } }>
        const now = Date.now()
        for (const item of items) if (item.type === "part" && !seenAt.has(item.data.id)) seenAt.set(item.data.id, now)
      }
      const kick = () => {
        if (reading) return void (again = true)
        reading = readData().finally(() => {
          reading = undefined
          if (again) {
            again = false
            kick()
          }
        })
      }
      const events = await fetch(`${reader.url}/api/share/${slug}/events`, { headers: auth, signal })
      const stream = events.body!.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ""
      try {
        for (;;) {
          const { value, done } = await stream.read()
          if (done) break
          buffer += value
          if (buffer.includes("event: change")) kick()
          buffer = buffer.slice(buffer.lastIndexOf("\n\n") + 1)
        }
      } catch {
        // Aborted at the end.
      }
    }

    const stop = new AbortController()
    const started = Date.now()
    const publish = async (i: number) => {
      const endpoint = endpoints[i]!
      const sessionID = `ses_bench${String(i).padStart(5, "0")}`
      const post = (path: string, body: unknown) =>
        fetch(`${endpoint.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      const created = (await (await post("/api/share", { sessionID })).json()) as { id: string; secret: string }
      const share = { id: created.id, parts: [] as string[] }
      shares.push(share)
      void follow(created.id, stop.signal)
      const messageID = `msg_bench${String(i).padStart(5, "0")}`
      const now = Date.now()
      await post(`/api/share/${created.id}/sync`, {
        secret: created.secret,
        data: [
          { type: "session", data: { id: sessionID, title: `Bench ${i}`, version: "1.18.33", time: { created: now, updated: now } } },
          { type: "message", data: { id: messageID, sessionID, role: "assistant", time: { created: now }, providerID: "mock", modelID: "mock-model" } },
        ],
      })
      // Start at a random point of the first interval, as publishers do not move in step.
      await Bun.sleep(Math.random() * INTERVAL)
      for (let n = 0; n < UPDATES; n++) {
        const id = `prt_bench${String(i).padStart(5, "0")}_${String(n).padStart(4, "0")}`
        share.parts.push(id)
        sentAt.set(id, Date.now())
        const answered = await post(`/api/share/${created.id}/sync`, {
          secret: created.secret,
          data: [{ type: "part", data: { id, messageID, sessionID, type: "text", text: update(i, n) } }],
        })
        if (answered.status !== 200) log(`  publisher ${i}: the endpoint answered ${answered.status}`)
        await Bun.sleep(INTERVAL)
      }
    }

    // Real runtimes publishing through the overlay to the same instance, at the same time.
    sandbox.writeProjectConfig({ share: "manual", enterprise: { url: writer.url } })
    const login = await sandbox.run(["share", "login", writer.url, "--token", token])
    if (login.code !== 0) throw new Error(`share login failed: ${login.stderr}`)
    const runtimes = Array.from({ length: RUNTIMES }, (_, r) =>
      (async () => {
        await Bun.sleep(2000 + r * 3000)
        const made = await sandbox.prompt(`Runtime ${r}`, [turn.bash(`echo "runtime ${r} key ${SECRET}"`, "Look"), turn.text(`Runtime ${r} is done.`)], { args: ["--share"] })
        return made
      })(),
    )
    await Promise.all(Array.from({ length: PUBLISHERS }, (_, i) => publish(i)))
    const made = await Promise.all(runtimes)
    const sendDone = Date.now()
    log(`  sent ${sentAt.size} updates in ${ms(sendDone - started)}; waiting for the reading instance to have them all`)
    const deadline = Date.now() + 120_000
    while (seenAt.size < sentAt.size && Date.now() < deadline) await Bun.sleep(250)
    const wallMs = Date.now() - started

    // Each share read back whole: every update there (none lost), no secret.
    let lost = 0
    let leaked = 0
    for (const share of shares) {
      const text = await (await fetch(`${reader.url}/api/share/${share.id}/data`, { headers: auth })).text()
      if (text.includes(SECRET)) leaked++
      for (const id of share.parts) if (!text.includes(`"${id}"`)) lost++
    }
    // The real runtimes' sessions: each page equal to its session (the same messages and parts).
    let equal = 0
    const db = sandbox.database()
    try {
      for (const result of made) {
        const sessionID = result.sessionIDs[0]
        if (result.code !== 0 || !sessionID) continue
        const row = db.query<{ url: string }, [string]>("select url from session_share where session_id = ?").get(sessionID)
        if (!row) continue
        const items = (await (await fetch(`${reader.url}/api/share/${row.url.split("/").pop()}/data`, { headers: auth })).json()) as Array<{ type: string; data: { id: string } }>
        const local = db.query<{ id: string }, [string]>("select id from part where session_id = ? order by id").all(sessionID).map((p) => p.id)
        const remote = items.filter((i) => i.type === "part").map((i) => i.data.id).sort()
        if (JSON.stringify(local) === JSON.stringify(remote) && !JSON.stringify(items).includes(SECRET)) equal++
      }
    } finally {
      db.close()
    }
    stop.abort()
    const latencies = [...sentAt].flatMap(([id, at]) => (seenAt.has(id) ? [seenAt.get(id)! - at] : [])).sort((a, b) => a - b)
    const result: Result = {
      backend: backend === "postgres" ? "PostgreSQL" : "SQLite",
      instances: servers.length,
      sent: sentAt.size,
      seen: seenAt.size,
      lost,
      leaked,
      latencies,
      wallMs,
      serverPeakKb: servers.map((s) => peakKb(s.pid)),
      endpointsPeakKb: peakKb(process.pid),
      runtimes: { ok: made.filter((m) => m.code === 0).length, equal },
    }
    log(`  p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, lost ${lost}, leaked ${leaked}, runtimes equal ${equal}/${RUNTIMES}`)
    return result
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await Promise.all(servers.map((s) => s.stop()))
    await pg?.stop()
    await sandbox.dispose()
  }
}

const results: Result[] = []
for (const backend of BACKENDS) results.push(await run(backend))

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${Math.round(totalmem() / 1024 / 1024)} MiB RAM, ${process.platform} ${process.arch}, Bun ${Bun.version}`
const section = [
  "## Team sharing at scale",
  "",
  `Measured by \`bun run bench:team\` on ${new Date().toISOString().slice(0, 10)}: ${machine}. Runtime: opencode-ai ${RUNTIME.version}.`,
  "",
  `${PUBLISHERS} publishers, each speaking the runtime's share protocol through an overlay endpoint of its own (member token,`,
  `redaction, outbox and delivery in the path, all in the benchmark's one process), each sending ${UPDATES} updates of about 1 KB of`,
  `code-like text, one every ${INTERVAL} ms (every 10th holding a GitHub token), while ${RUNTIMES} real runtimes publish sessions through`,
  "the overlay (`opencode run --share`). They publish to the first instance; latency is from an update reaching the endpoint to its",
  "being in the reading instance's `/api/share/<id>/data`, followed through that instance's event stream as a page follows it",
  "(PostgreSQL: the other instance, LISTEN/NOTIFY; SQLite: the one instance). Lost: updates missing when each share is read back",
  "whole at the end; leaked: shares whose data holds the token. The endpoints' process also runs the readers (an event stream and",
  `the data of each share), so its memory is an upper bound for ${PUBLISHERS} overlays' endpoints.`,
  "",
  "| backend | instances | updates sent | lost | leaked | latency p50 | p99 | max | runtimes' pages equal to their sessions | peak RSS per instance | endpoints' process peak RSS |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
  ...results.map(
    (r) =>
      `| ${r.backend} | ${r.instances} | ${r.sent.toLocaleString("en")} | ${r.lost} | ${r.leaked} | ${ms(percentile(r.latencies, 50))} | ${ms(percentile(r.latencies, 99))} | ${ms(r.latencies.at(-1) ?? NaN)} | ${r.runtimes.equal} of ${RUNTIMES} | ${r.serverPeakKb.map(mib).join(", ")} | ${mib(r.endpointsPeakKb)} |`,
  ),
  "",
]
const out = values.out!
const text = mergeSections(existsSync(out) ? readFileSync(out, "utf8") : undefined, [`${section.join("\n")}\n`])
await Bun.write(out, text)
log(`\nwrote ${out}`)
process.stdout.write(`${section.join("\n")}\n`)
