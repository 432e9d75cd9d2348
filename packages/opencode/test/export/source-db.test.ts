/**
 * The database source and the export service on a synthetic database with
 * the runtime's tables: big enough (over PRESCAN_MIN_PARTS parts) that the
 * prescan worker screens it on another thread, with secrets, payloads and the
 * home directory at the start, the middle and the end, and an unreadable row;
 * every format gives the same bytes as screened inline.
 */
import { Database } from "bun:sqlite"
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PRESCAN_MIN_PARTS, worthPrescanning } from "../../src/export/read/prescan.ts"
import { screenFor } from "../../src/export/screen/screen.ts"
import type { ExportSettings } from "../../src/export/document/choices.ts"
import { SessionExport } from "../../src/export/service.ts"
import { databaseSource } from "../../src/export/read/source-db.ts"
import { ExportWriter } from "../../src/export/write/writer.ts"
import { RuntimeDatabase } from "../../src/storage/database.ts"
import { RUNTIME_TABLES } from "../runtime-tables.ts"
import { SAMPLES } from "./secrets.ts"

const root = mkdtempSync(join(tmpdir(), "export-db-"))
const HOME = "/home/ada"
const TOKEN = SAMPLES.github!.text
const SID = "ses_big"
const MESSAGES = Math.ceil(PRESCAN_MIN_PARTS / 10) + 10
const SPECIAL = new Set([1, Math.floor(MESSAGES / 2), MESSAGES - 1])

function build(path: string) {
  const db = new Database(path)
  db.exec(RUNTIME_TABLES)
  db.query("insert into project values ('global', '/', null, null, 1, 1)").run()
  db.query(
    `insert into session (id, project_id, slug, directory, title, version, time_created, time_updated)
     values (?, 'global', 'big-one', '${HOME}/project', 'Big one', '1.18.33', 1000, 2000)`,
  ).run(SID)
  const message = db.prepare("insert into message values (?, ?, ?, ?, ?)")
  const part = db.prepare("insert into part values (?, ?, ?, ?, ?, ?)")
  db.exec("begin")
  for (let m = 0; m < MESSAGES; m++) {
    const mid = `msg_${String(m).padStart(6, "0")}`
    const info =
      m % 2 === 0
        ? { role: "user", time: { created: 1000 + m }, agent: "build", model: { providerID: "p", modelID: "m" } }
        : { role: "assistant", time: { created: 1000 + m, completed: 1001 + m }, parentID: "x", modelID: "m", providerID: "p", mode: "build", agent: "build", path: { cwd: "/", root: "/" }, cost: 0, tokens: { input: 1, output: 1, reasoning: 0, cache: { read: 0, write: 0 } } }
    message.run(mid, SID, 1000 + m, 1000 + m, JSON.stringify(info))
    for (let k = 0; k < 10; k++) {
      const pid = `prt_${String(m).padStart(6, "0")}_${k}`
      let output = `plain output ${m}.${k}`
      if (SPECIAL.has(m) && k === 3) output = `export GITHUB_TOKEN=${TOKEN}\n`
      if (SPECIAL.has(m) && k === 4) output = `cd ${HOME}/project`
      if (SPECIAL.has(m) && k === 5) output = `data:image/png;base64,${"iVBORw0KGgoAAAANSUhEUg".repeat(20)}`
      const data =
        m === 7 && k === 0
          ? '{"type":"tool","state":'
          : JSON.stringify({ type: "tool", tool: "bash", callID: `c${m}${k}`, state: { status: "completed", input: { command: "x" }, output, title: "x", metadata: {}, time: { start: 1, end: 2 } } })
      part.run(pid, mid, SID, 1, 1, data)
    }
  }
  db.exec("commit")
  db.close()
}

type Format = "markdown" | "json" | "html"

const request = (format: Format, toolDetails = true): ExportSettings => ({
  format,
  markdown: { thinking: false, toolDetails, diffs: false },
  redact: true,
  children: true,
  home: HOME,
  exportedAt: "2025-01-01T00:00:00+00:00",
})

const run = (format: Format, path: string, options: { toolDetails?: boolean; inline?: boolean } = {}) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const svc = yield* SessionExport
      return yield* svc.export(SID, request(format, options.toolDetails), { kind: "file", path, force: false })
    }).pipe(
      Effect.provide(
        SessionExport.layer.pipe(
          Layer.provide(
            Layer.merge(databaseSource({ name: "opencode-ai", version: "1.18.33" }, options.inline ? Infinity : PRESCAN_MIN_PARTS), ExportWriter.layer),
          ),
          Layer.provide(RuntimeDatabase.layer(root)),
        ),
      ),
    ),
  )

beforeAll(() => build(join(root, "opencode.db")))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe("a big session from the database (prescanned on a worker thread)", () => {
  for (const format of ["markdown", "json"] as const) {
    test(`${format}: secrets, payloads and the home are replaced wherever they are; the bad row is a warning`, async () => {
      const path = join(root, `out.${format}`)
      const result = await run(format, path)
      const text = readFileSync(path, "utf8")
      expect(result.totals.messages).toBe(MESSAGES)
      expect(result.totals.toolCalls).toBe(MESSAGES * 10 - 1)
      expect(result.warnings).toBe(1)
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(HOME)
      expect(text).not.toContain("iVBORw0KGgo")
      expect(text.split("GITHUB_TOKEN=[REDACTED:github-token]")).toHaveLength(SPECIAL.size + 1)
      expect(text.split("cd ~/project")).toHaveLength(SPECIAL.size + 1)
      expect(text.split("[OMITTED:data-url type=image/png")).toHaveLength(SPECIAL.size + 1)
      expect(text).toContain("prt_000007_0")
      if (format === "json") {
        const doc = JSON.parse(text)
        expect(doc.session.messages).toHaveLength(MESSAGES)
        expect(doc.session.warnings.map((w: { id: string }) => w.id)).toEqual(["prt_000007_0"])
        expect(doc.session.info.directory).toBe("~/project")
      }
    })
  }

  for (const format of ["markdown", "html", "json"] as const) {
    for (const toolDetails of [false, true]) {
      test(`${format}${toolDetails ? " with tool details" : ""}: the same bytes as screened inline`, async () => {
        const ahead = join(root, `ahead.${format}`)
        const inline = join(root, `inline.${format}`)
        await run(format, ahead, { toolDetails })
        await run(format, inline, { toolDetails, inline: true })
        expect(readFileSync(ahead, "utf8")).toBe(readFileSync(inline, "utf8"))
        rmSync(ahead)
        rmSync(inline)
      })
    }
  }
})

test("a session is screened ahead where its sampled parts mostly need nothing, not where most need sanitizing", () => {
  const checks = screenFor(true, HOME)
  const clean = JSON.stringify({ type: "text", text: "plain words about the build" })
  const dirty = JSON.stringify({ type: "tool", state: { output: `export GITHUB_TOKEN=${TOKEN}` } })
  expect(worthPrescanning(Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? dirty : clean)), checks)).toBe(true)
  expect(worthPrescanning(Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? clean : dirty)), checks)).toBe(false)
  // Without redaction a token needs nothing: the same parts are worth it.
  expect(worthPrescanning(Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? clean : dirty)), screenFor(false, HOME))).toBe(true)
})
