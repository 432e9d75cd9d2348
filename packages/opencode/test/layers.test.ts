/**
 * The layers of `src/`, kept by a test: each folder may import only the
 * folders below it (docs/architecture.md draws them). Bottom to top:
 *
 *   config, model, http      what the runtime's config and data look like; what a request
 *                            to one of the overlay's servers may be (hosts, origins, paths)
 *   storage, runtime         the runtime's database (read-only); the pinned runtime binary
 *   share, export, import    the share guard; the session export; importing an export
 *   errors                   the one table from every error to exit code / HTTP status / code
 *   program, command, launch how an overlay command parses and reports; the session command
 *                            registry; preparing and starting the runtime with the guard
 *   cli, server, tui         the entry points, which never import each other
 *   main.ts, index.ts        the composition root: dispatches to the entry points
 *
 * `version.ts` (names and versions) and `package-files.ts` (where the
 * package's own files are) may be imported from anywhere.
 */
import { describe, expect, test } from "bun:test"
import { Glob } from "bun"
import { readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const SRC = resolve(import.meta.dir, "..", "src")
const APP = resolve(import.meta.dir, "..", "..", "app", "src")

const BELOW_ENTRY_POINTS = ["config", "model", "http", "storage", "runtime", "share", "export", "import", "errors", "program", "command", "launch"]

const ALLOWED: Readonly<Record<string, ReadonlyArray<string>>> = {
  config: [],
  model: [],
  http: [],
  storage: ["config", "model"],
  runtime: ["config"],
  share: ["config", "storage", "runtime", "http"],
  export: ["config", "model", "storage"],
  // Import reads what export writes (its format's name and version).
  import: ["config", "model", "storage", "runtime", "export"],
  errors: ["config", "storage", "runtime", "share", "export", "import", "http"],
  program: ["errors", "runtime"],
  command: ["errors", "config", "share", "export"],
  launch: ["errors", "program", "config", "runtime", "share"],
  cli: BELOW_ENTRY_POINTS,
  server: BELOW_ENTRY_POINTS,
  tui: BELOW_ENTRY_POINTS,
}

const ROOT_FILES: Readonly<Record<string, "anything" | "nothing">> = {
  "index.ts": "anything",
  "main.ts": "anything",
  "version.ts": "nothing",
  "package-files.ts": "nothing",
}

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

/** The layer of a file: its top folder under src, or its own name for a file at the top. */
const layerOf = (path: string) => {
  return relative(SRC, path).split("/")[0]!
}

function breaks(edge: Edge): boolean {
  const from = layerOf(edge.from)
  const outside = relative(SRC, edge.to).startsWith("..")
  if (outside) return from !== "version.ts" // only version.ts reads package.json
  const to = layerOf(edge.to)
  if (from === to || to === "version.ts" || to === "package-files.ts") return false
  const root = ROOT_FILES[from]
  if (root) return root === "nothing"
  const allowed = ALLOWED[from]
  if (!allowed) return true // a new folder must be given its place above
  return !allowed.includes(to)
}

const show = (e: Edge) => `${relative(SRC, e.from)}:${e.line} imports ${relative(SRC, e.to)}`

describe("layers", () => {
  const edges = files(SRC).flatMap(edgesOf)

  test("every folder of src has its place in the layers", () => {
    const folders = new Set(files(SRC).map(layerOf).filter((l) => !l.endsWith(".ts")))
    expect([...folders].filter((f) => !(f in ALLOWED)).sort()).toEqual([])
    expect(files(SRC).map(layerOf).filter((l) => l.endsWith(".ts") && !(l in ROOT_FILES))).toEqual([])
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
    const down: Edge = { from: join(SRC, "cli", "share.ts"), to: join(SRC, "share", "share-next.ts"), line: 1 }
    expect([upward, sideways, down].map(breaks)).toEqual([true, true, false])
  })

  test("the web app takes the server's types from the workspace package, never by a path into it", () => {
    const outside = files(APP)
      .flatMap(edgesOf)
      .filter((e) => relative(APP, e.to).startsWith(".."))
      .map((e) => `${relative(APP, e.from)}:${e.line} imports ${relative(APP, e.to)}`)
    expect(outside).toEqual([])
  })
})
