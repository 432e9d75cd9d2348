/**
 * Bundles the overlay's CLI into packages/opencode/dist (part of
 * `bun run build`): one entry (dist/index.js, with a chunk per lazily loaded
 * command) and the two worker threads (dist/export/read/prescan-worker.js,
 * dist/history/index-writer-worker.js). Loading
 * the bundle instead of a hundred source modules saves about 30 ms of every
 * start; bin/opencode runs it unless a source file is newer. Built beside
 * and then moved into place, so an interrupted build leaves the old bundle.
 */
import { existsSync, renameSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"

const PACKAGE = resolve(import.meta.dir, "..", "packages", "opencode")
const OUT = join(PACKAGE, "dist")
const NEXT = join(PACKAGE, ".dist-next")

/** The CLI's bundle into `outdir` (also used by tests that run the overlay as another user). */
export const bundleCli = (outdir: string) =>
  Bun.build({
    entrypoints: [
      join(PACKAGE, "src", "index.ts"),
      join(PACKAGE, "src", "export", "read", "prescan-worker.ts"),
      join(PACKAGE, "src", "history", "index-writer-worker.ts"),
    ],
    root: join(PACKAGE, "src"),
    outdir,
    target: "bun",
    splitting: true,
  })

if (import.meta.main) {
  rmSync(NEXT, { recursive: true, force: true })
  const result = await bundleCli(NEXT)
  if (!result.success) {
    for (const log of result.logs) process.stderr.write(`${log}\n`)
    process.stderr.write("build-cli: the bundle failed; bin/opencode keeps running the sources\n")
    rmSync(NEXT, { recursive: true, force: true })
    process.exit(1)
  }
  if (existsSync(OUT)) rmSync(OUT, { recursive: true, force: true })
  renameSync(NEXT, OUT)
  process.stderr.write(`build-cli: ${result.outputs.length} files in ${OUT}\n`)
}
