/**
 * What a failing TUI or browser test leaves behind, under `.artifacts/failures/`:
 * the screen it last saw (tmux's pane as text, or the page as a screenshot and
 * its HTML), and the runtime's log from the sandbox's data folder, which the
 * sandbox removes when it is disposed. The test's own error is rethrown
 * unchanged, with the folder named after it; CI (`.ci/run`) lists the folder.
 */
import { test } from "bun:test"
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import type { Page } from "playwright-core"
import type { Sandbox } from "./sandbox.ts"
import { REPO_ROOT } from "./sandbox.ts"
import type { Tmux } from "./tmux.ts"

export const FAILURES = join(REPO_ROOT, ".artifacts", "failures")

/** What there is to look at when a test fails: whichever of these the file has at that moment. */
export type Evidence = { readonly page?: Page; readonly tui?: Tmux; readonly sandbox?: Sandbox }

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80)

/** Saves what `evidence` holds into a folder named after the file and the test; returns the folder. */
export async function saveEvidence(file: string, name: string, evidence: Evidence): Promise<string> {
  const dir = join(FAILURES, `${basename(file).replace(/\.test\.ts$/, "")}--${slug(name)}`)
  mkdirSync(dir, { recursive: true })
  const attempts: Array<Promise<unknown>> = []
  if (evidence.tui) attempts.push(evidence.tui.screen().then((screen) => writeFileSync(join(dir, "screen.txt"), screen)))
  if (evidence.page && !evidence.page.isClosed()) {
    attempts.push(evidence.page.screenshot({ path: join(dir, "page.png"), fullPage: true, timeout: 10_000 }))
    attempts.push(evidence.page.content().then((html) => writeFileSync(join(dir, "page.html"), `<!-- ${evidence.page!.url()} -->\n${html}`)))
  }
  const logs = evidence.sandbox ? join(evidence.sandbox.dataDir, "opencode", "log") : undefined
  if (logs && existsSync(logs)) cpSync(logs, join(dir, "runtime-log"), { recursive: true })
  await Promise.allSettled(attempts)
  return dir
}

/**
 * `test`, but on failure the evidence is saved first (see above). `evidence`
 * is asked when the test fails, so it sees the page or TUI the test had then.
 */
export function testWithEvidence(file: string, evidence: () => Evidence) {
  return (name: string, fn: () => unknown, timeout?: number) =>
    test(
      name,
      async () => {
        try {
          await fn()
        } catch (error) {
          const dir = await saveEvidence(file, name, evidence()).catch(() => undefined)
          if (dir) process.stderr.write(`artifacts of the failed test "${name}": ${dir}\n`)
          throw error
        }
      },
      timeout,
    )
}
