/**
 * The layers of `src/`, kept by a test: each folder may import only the
 * folders its row of the table in docs/architecture.md names ("Layers of
 * `packages/opencode/src`"). That table is the one statement of the layers:
 * this test reads it from there, so the document cannot drift from what is
 * enforced. Inside `export/`, the rooms (`export/read/`, …) have rows of their
 * own; a room may also import what `export/` may, and `export/service.ts` any room.
 */
import { describe, expect, test } from "bun:test"
import { Glob } from "bun"
import { readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const SRC = resolve(import.meta.dir, "..", "src")
const APP = resolve(import.meta.dir, "..", "..", "app", "src")
const ARCHITECTURE = resolve(import.meta.dir, "..", "..", "..", "docs", "architecture.md")

type Rule = { readonly kind: "folders"; readonly folders: ReadonlyArray<string> } | { readonly kind: "anything" | "nothing" | "below-entry-points" }

/** The rows of the layers table: each name (`config`, `export/read`, `main.ts`) and what it may import, bottom first. */
export function layerTable(markdown: string): ReadonlyArray<{ readonly names: ReadonlyArray<string>; readonly rule: Rule }> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Layers of `packages/opencode/src`"))
  if (!section) throw new Error(`${ARCHITECTURE} has no section "Layers of \`packages/opencode/src\`"`)
  const rows: Array<{ names: string[]; rule: Rule }> = []
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim())
    if (cells.length < 4 || !cells[1]!.startsWith("`")) continue
    const names = [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, ""))
    const may = cells[2]!
    const rule: Rule =
      may === "anything" || may === "nothing"
        ? { kind: may }
        : may === "every folder but the entry points"
          ? { kind: "below-entry-points" }
          : { kind: "folders", folders: may === "—" ? [] : [...may.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, "")) }
    rows.push({ names, rule })
  }
  return rows
}

const TABLE = layerTable(readFileSync(ARCHITECTURE, "utf8"))
const ENTRY_POINTS = TABLE.filter((r) => r.rule.kind === "below-entry-points").flatMap((r) => r.names)
const FOLDERS = TABLE.flatMap((r) => r.names).filter((n) => !n.endsWith(".ts"))
/** Folders a layer may import, by name. */
const ALLOWED: Readonly<Record<string, ReadonlyArray<string>>> = Object.fromEntries(
  TABLE.filter((r) => r.rule.kind === "folders" || r.rule.kind === "below-entry-points").flatMap((r) =>
    r.names.map((name) => [name, r.rule.kind === "folders" ? r.rule.folders : FOLDERS.filter((f) => !ENTRY_POINTS.includes(f) && !f.includes("/"))]),
  ),
)
const ROOT_FILES: Readonly<Record<string, "anything" | "nothing">> = Object.fromEntries(
  TABLE.filter((r) => r.rule.kind === "anything" || r.rule.kind === "nothing").flatMap((r) => r.names.map((name) => [name, r.rule.kind as "anything" | "nothing"])),
)

type Edge = { readonly from: string; readonly to: string; readonly line: number }

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g

/** Relative imports of a source file (static, type-only and dynamic alike), resolved to paths. */
function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8")
  const edges: Edge[] = []
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1]!
    if (!spec.startsWith(".")) continue
    edges.push({ from: file, to: resolve(dirname(file), spec), line: text.slice(0, match.index).split("\n").length })
  }
  return edges
}

const files = (root: string) => [...new Glob("**/*.{ts,tsx}").scanSync(root)].map((f) => join(root, f)).sort()

/** The layer of a file: its top folder under src (a room's folder inside `export/`), or its own name for a file at the top. */
const layerOf = (path: string) => {
  const parts = relative(SRC, path).split("/")
  if (parts[0] === "export" && parts.length > 2) return `export/${parts[1]}`
  return parts[0]!
}

function breaks(edge: Edge): boolean {
  const from = layerOf(edge.from)
  const outside = relative(SRC, edge.to).startsWith("..")
  if (outside) return from !== "version.ts" // only version.ts reads package.json
  const to = layerOf(edge.to)
  if (from === to || ROOT_FILES[to] === "nothing") return false
  const root = ROOT_FILES[from]
  if (root) return root === "nothing"
  const inExport = (layer: string) => layer === "export" || layer.startsWith("export/")
  // Between export's rooms (and its service): the rooms' rows; from a room to the outside: export's row.
  if (inExport(from) && inExport(to)) return from !== "export" && !(ALLOWED[from] ?? []).includes(to)
  const allowed = inExport(from) ? ALLOWED.export : ALLOWED[from]
  if (!allowed) return true // a new folder must be given its place
  return !allowed.includes(inExport(to) ? "export" : to)
}

const show = (e: Edge) => `${relative(SRC, e.from)}:${e.line} imports ${relative(SRC, e.to)}`

describe("layers", () => {
  const edges = files(SRC).flatMap(edgesOf)

  test("every folder of src has its row in docs/architecture.md, and every row a folder", () => {
    const folders = new Set(files(SRC).map(layerOf).filter((l) => !l.endsWith(".ts")))
    expect([...folders].filter((f) => !(f in ALLOWED)).sort()).toEqual([])
    expect(files(SRC).map(layerOf).filter((l) => l.endsWith(".ts") && !(l in ROOT_FILES))).toEqual([])
    expect(FOLDERS.filter((f) => !folders.has(f))).toEqual([])
  })

  test("no import goes up a layer, or sideways between entry points", () => {
    expect(edges.filter(breaks).map(show)).toEqual([])
  })

  test("no two files import each other, directly or around a loop", () => {
    const graph = new Map<string, string[]>()
    for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to])
    const cycles: string[] = []
    const state = new Map<string, "open" | "done">()
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(" -> "))
        return
      }
      state.set(file, "open")
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, "done")
    }
    for (const file of graph.keys()) visit(file, [])
    expect(cycles).toEqual([])
  })

  test("the rule would see a break: a made-up upward import is caught", () => {
    const upward: Edge = { from: join(SRC, "config", "read.ts"), to: join(SRC, "cli", "main.ts"), line: 1 }
    const sideways: Edge = { from: join(SRC, "server", "serve.ts"), to: join(SRC, "cli", "args.ts"), line: 1 }
    const down: Edge = { from: join(SRC, "cli", "share.ts"), to: join(SRC, "share", "publications.ts"), line: 1 }
    // Inside export/: rendering may not read the database, nor screening import rendering.
    const renderReads: Edge = { from: join(SRC, "export", "render", "html.ts"), to: join(SRC, "export", "read", "source-db.ts"), line: 1 }
    const screenRenders: Edge = { from: join(SRC, "export", "screen", "sanitize.ts"), to: join(SRC, "export", "render", "facts.ts"), line: 1 }
    const roomDown: Edge = { from: join(SRC, "export", "read", "source-db.ts"), to: join(SRC, "export", "screen", "screen.ts"), line: 1 }
    const roomOut: Edge = { from: join(SRC, "export", "read", "source-db.ts"), to: join(SRC, "storage", "session-reads.ts"), line: 1 }
    expect([upward, sideways, down, renderReads, screenRenders, roomDown, roomOut].map(breaks)).toEqual([true, true, false, true, true, false, false])
  })

  test("the table is read as written: a made-up table gives the rows it says", () => {
    const rows = layerTable("## Layers of `packages/opencode/src`\n\n| folder | may import | what |\n|---|---|---|\n| `a/` | — | x |\n| `b/` | `a/` | y |\n| `c.ts` | nothing | z |\n")
    expect(rows).toEqual([
      { names: ["a"], rule: { kind: "folders", folders: [] } },
      { names: ["b"], rule: { kind: "folders", folders: ["a"] } },
      { names: ["c.ts"], rule: { kind: "nothing" } },
    ])
  })

  test("the web app takes the server's types from the workspace package, never by a path into it", () => {
    const outside = files(APP)
      .flatMap(edgesOf)
      .filter((e) => relative(APP, e.to).startsWith(".."))
      .map((e) => `${relative(APP, e.from)}:${e.line} imports ${relative(APP, e.to)}`)
    expect(outside).toEqual([])
  })
})
