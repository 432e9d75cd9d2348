/**
 * Debian's Chromium (`/usr/bin/chromium`, installed by the test command when missing)
 * driven by playwright-core, headless, in a fresh profile that is removed on
 * close. One browser per test file; close it in afterAll.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type BrowserContext, type Page } from "playwright-core"

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none",
]

export type Browser = {
  readonly context: BrowserContext
  readonly page: Page
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[]
  readonly close: () => Promise<void>
}

export async function launchBrowser(
  options: {
    viewport?: { width: number; height: number }
    /** More Chromium switches, e.g. `--host-resolver-rules=MAP attacker.test 127.0.0.1` (a name that resolves to loopback). */
    args?: ReadonlyArray<string>
    /** Answers to a server's password challenge (HTTP Basic), as a user who signed in there once. */
    httpCredentials?: { readonly username: string; readonly password: string }
  } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the test command, bun run test, does)`)
  const profile = mkdtempSync(join(tmpdir(), "overlay-chromium-"))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...ARGS, ...(options.args ?? [])],
      acceptDownloads: true,
      viewport: options.viewport ?? { width: 1360, height: 860 },
      deviceScaleFactor: 1,
      colorScheme: "light",
      locale: "en-US",
      timezoneId: "UTC",
      timeout: 60_000,
      ...(options.httpCredentials ? { httpCredentials: { ...options.httpCredentials } } : {}),
    })
  } catch (error) {
    rmSync(profile, { recursive: true, force: true })
    throw error
  }
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(30_000)
  const errors: string[] = []
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`))
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`)
  })
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
