/**
 * Running a piece of the overlay as another user, for the tests whose point is
 * a folder the user may not write to: as root, a folder's mode does not stop
 * writes, so they run as `nobody` (setpriv). That user may not be able to
 * enter the checkout (a clone in root's home, or in a `mktemp -d` folder, is
 * closed to others), so it gets its own copy of what it runs, in a folder
 * every user may enter: the pinned bun, the code bundled into one file, and
 * the runtime's package files the overlay looks up. Files are hard-linked
 * where they can be (the bun and runtime binaries are 100 MB each), else copied.
 */
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { locateRuntime } from "../../packages/opencode/src/runtime/locate.ts"
import { bundleCli } from "../../scripts/build-cli.ts"
import { REPO_ROOT } from "./sandbox.ts"

/** Root runs these tests as `nobody`; any other user is unprivileged already. */
export const AS_ROOT = process.getuid?.() === 0
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p))
/** Whether the tests can run as another user here (root without setpriv cannot). */
export const CAN_DROP = !AS_ROOT || SETPRIV !== undefined

/** `command` as `nobody` when this process is root, else as it is. */
export const unprivileged = (command: ReadonlyArray<string>): string[] =>
  AS_ROOT ? [SETPRIV!, "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...command] : [...command]

let root: string | undefined
/** A folder every user may enter and read, removed when the test process exits. */
function openFolder(): string {
  if (root) return root
  root = mkdtempSync(join(tmpdir(), "overlay-unprivileged-"))
  chmodSync(root, 0o755)
  const made = root
  process.on("exit", () => rmSync(made, { recursive: true, force: true }))
  return made
}

function place(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true })
  try {
    linkSync(from, to)
  } catch {
    copyFileSync(from, to)
  }
  chmodSync(to, 0o755)
}

/** The pinned bun, where another user can run it. */
export function reachableBun(): string {
  const bun = join(openFolder(), "bun")
  if (!existsSync(bun)) place(process.execPath, bun)
  return bun
}

let overlay: Promise<string> | undefined
/**
 * The overlay's CLI as another user can run it: `[bun, entry]`, then its
 * arguments. The bundle is built from the current sources into the open folder,
 * beside a copy of the package's manifest and the runtime's package files.
 */
export async function reachableOverlay(): Promise<string[]> {
  overlay ??= (async () => {
    const pkg = join(openFolder(), "overlay", "packages", "opencode")
    await bundleCli(join(pkg, "dist"))
    place(join(REPO_ROOT, "packages", "opencode", "package.json"), join(pkg, "package.json"))
    const runtime = Effect.runSync(locateRuntime())
    const modules = join(openFolder(), "overlay", "node_modules")
    place(Bun.resolveSync("opencode-ai/package.json", join(REPO_ROOT, "packages", "opencode")), join(modules, "opencode-ai", "package.json"))
    place(join(dirname(dirname(runtime.binary)), "package.json"), join(modules, runtime.platformPackage, "package.json"))
    place(runtime.binary, join(modules, runtime.platformPackage, "bin", "opencode"))
    return join(pkg, "dist", "index.js")
  })()
  return [reachableBun(), await overlay]
}

/** One module of the overlay's sources bundled into a single file another user can run (with `reachableBun()`). */
export async function reachableScript(name: string, source: string): Promise<string> {
  const dir = join(openFolder(), "scripts", name)
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, "entry.ts")
  await Bun.write(entry, source)
  const result = await Bun.build({ entrypoints: [entry], outdir: dir, target: "bun" })
  if (!result.success) throw new Error(`bundling ${name} failed: ${result.logs.join("\n")}`)
  return join(dir, "entry.js")
}
