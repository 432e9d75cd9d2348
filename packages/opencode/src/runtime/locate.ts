import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { RuntimeNotFound } from "./errors.ts"
import { detectHost } from "./host.ts"
import { platformPackages } from "./platform.ts"
import { RUNTIME_PACKAGE } from "../version.ts"
import { PACKAGE_DIR } from "../package-files.ts"

export type RuntimeLocation = {
  /** Absolute path of the platform binary. */
  readonly binary: string
  /** Version of the pinned `opencode-ai` package. */
  readonly version: string
  /** The platform package the binary came from. */
  readonly platformPackage: string
}

const here = PACKAGE_DIR

/**
 * Finds the pinned runtime by package path, never through PATH: the overlay's
 * own bin is also called `opencode`, so a PATH lookup could find ourselves.
 */
export const locateRuntime = (fromDir: string = here): Effect.Effect<RuntimeLocation, RuntimeNotFound> =>
  Effect.suspend(() => {
    const tried: string[] = []
    let runtimeDir: string
    try {
      runtimeDir = dirname(Bun.resolveSync(`${RUNTIME_PACKAGE}/package.json`, fromDir))
    } catch {
      return Effect.fail(
        new RuntimeNotFound({
          message: `The runtime package ${RUNTIME_PACKAGE} is not installed. Run 'npx -y bun@1.4.5 install' in the repository.`,
          tried: [RUNTIME_PACKAGE],
        }),
      )
    }
    const version = (JSON.parse(readFileSync(join(runtimeDir, "package.json"), "utf8")) as { version: string }).version
    const exe = process.platform === "win32" ? "opencode.exe" : "opencode"
    for (const name of platformPackages(detectHost())) {
      tried.push(name)
      let pkgDir: string
      try {
        pkgDir = dirname(Bun.resolveSync(`${name}/package.json`, runtimeDir))
      } catch {
        continue
      }
      const binary = join(pkgDir, "bin", exe)
      if (existsSync(binary)) return Effect.succeed({ binary, version, platformPackage: name })
    }
    return Effect.fail(
      new RuntimeNotFound({
        message: `No runtime binary for ${process.platform}-${process.arch} was installed with ${RUNTIME_PACKAGE}@${version} (tried ${tried.join(", ")}). Reinstall with 'npx -y bun@1.4.5 install'.`,
        tried,
      }),
    )
  })
