/**
 * The web app's build for the browser tests: the test command builds it first
 * (`bun run build`); a test file run on its own builds it when `dist` is
 * missing or older than any of its sources.
 */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { REPO_ROOT } from "./sandbox.ts"

export const APP = join(REPO_ROOT, "packages/app")

/** Builds packages/app when dist is missing or older than any of its sources. */
export async function buildAppIfStale(): Promise<void> {
  const index = join(APP, "dist", "index.html")
  const newest = (path: string): number => {
    const stat = statSync(path)
    if (!stat.isDirectory()) return stat.mtimeMs
    return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))))
  }
  let built = 0
  try {
    built = statSync(index).mtimeMs
  } catch {}
  const sources = Math.max(...["src", "index.html", "vite.config.ts", "package.json"].map((p) => newest(join(APP, p))))
  if (built > sources) return
  const proc = Bun.spawn([process.execPath, "x", "vite", "build"], { cwd: APP, stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${out}\n${err}`)
}
