/**
 * The overlay package's own files, found from the running code. A checkout
 * runs the TypeScript sources (src/) or, once built, the bundle (dist/, what
 * the installed package runs: one file to load instead of a hundred modules,
 * about 30 ms of every start); both sit one level below the package's
 * folder, so files are named from that folder.
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"

function packageDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir
    if (dirname(dir) === dir) return from
  }
}

/** `packages/opencode` in a checkout, `…/node_modules/opencode-local-overlay` when installed. */
export const PACKAGE_DIR = packageDir(import.meta.dir)

/** A file of the package, by its path inside it (`src/share/plugin.ts`, `bin/opencode`, …). */
export const packageFile = (...path: ReadonlyArray<string>): string => join(PACKAGE_DIR, ...path)

/** Whether this code runs from the bundle (dist/) rather than from the sources. */
export const BUNDLED = !import.meta.path.endsWith(".ts")
