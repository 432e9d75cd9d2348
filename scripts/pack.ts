/**
 * `bun run pack`: the installable artifact. Builds the web app, lays out the
 * overlay as one npm package (bin `opencode`, its bundle, its TypeScript
 * sources, from which the runtime loads the overlay's plugins, and the built
 * app), locks its dependency tree in an npm-shrinkwrap.json, and packs it into
 * `dist/opencode-local-overlay-<version>.tgz`. Installed with
 * `npm install -g ./dist/opencode-local-overlay-<version>.tgz`, it brings the
 * pinned runtime (`opencode-ai`) and Bun from the registry; nothing else is
 * needed but Node.js and npm.
 *
 * Options: --out <dir> (default dist/)  --no-shrinkwrap (skip the lock, e.g. offline)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { OVERLAY_NAME } from "../packages/opencode/src/version.ts"
import { bundleCli } from "./build-cli.ts"

const ROOT = resolve(import.meta.dir, "..")
const OVERLAY = join(ROOT, "packages/opencode")
const APP = join(ROOT, "packages/app")

const { values } = parseArgs({
  options: {
    out: { type: "string", default: join(ROOT, "dist") },
    "no-shrinkwrap": { type: "boolean", default: false },
  },
})
const log = (text: string) => process.stderr.write(`${text}\n`)

function run(argv: string[], cwd: string): void {
  const proc = Bun.spawnSync(argv, { cwd, stdin: "ignore", stdout: "inherit", stderr: "inherit" })
  if (proc.exitCode !== 0) {
    log(`pack: ${argv.join(" ")} failed (exit ${proc.exitCode}) in ${cwd}`)
    process.exit(1)
  }
}

type Manifest = { version: string; description: string; dependencies: Record<string, string> }
const source = JSON.parse(readFileSync(join(OVERLAY, "package.json"), "utf8")) as Manifest
const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }

// Everything is built into the staging folder, never over the workspace's own builds (packages/app/dist,
// packages/opencode/dist), which a running overlay or a test may be reading at the same time.
const stage = join(ROOT, ".pack", OVERLAY_NAME)
rmSync(join(ROOT, ".pack"), { recursive: true, force: true })
mkdirSync(stage, { recursive: true })
// Where the server looks for the app in an installed package (src/server/serve.ts, APP_DIST).
log("pack: building the web app")
run([process.execPath, "run", "build", "--outDir", join(stage, "app"), "--emptyOutDir"], APP)
// What bin/opencode runs (the sources stay: the runtime loads the overlay's plugins from them). The marker
// tells bin/opencode to run the bundle whatever the files' times (npm's extraction does not keep them in order).
log("pack: bundling the CLI")
const bundled = await bundleCli(join(stage, "dist"))
if (!bundled.success) {
  for (const message of bundled.logs) log(String(message))
  log("pack: bundling the CLI failed")
  process.exit(1)
}
writeFileSync(join(stage, "dist", "PACKAGED"), "This package's bundle: bin/opencode runs dist/index.js.\n")
cpSync(join(OVERLAY, "bin"), join(stage, "bin"), { recursive: true })
cpSync(join(OVERLAY, "src"), join(stage, "src"), { recursive: true })
cpSync(join(ROOT, "README.md"), join(stage, "README.md"))

const manifest = {
  name: OVERLAY_NAME,
  version: source.version,
  description: source.description,
  type: "module",
  license: "MIT",
  bin: { opencode: "bin/opencode" },
  files: ["bin", "src", "dist", "app", "README.md", "npm-shrinkwrap.json"],
  engines: { node: ">=18" },
  // The runtime and the Bun that runs the overlay come from the registry, pinned. Packages of this workspace
  // (the share server) are in the bundle (dist/), not on the registry.
  dependencies: {
    ...Object.fromEntries(Object.entries(source.dependencies).filter(([, version]) => !version.startsWith("workspace:"))),
    bun: root.devDependencies.bun!,
  },
}
writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)

if (!values["no-shrinkwrap"]) {
  // Locks every transitive dependency, so an install gets the tree that was tested.
  log("pack: locking the dependency tree (npm-shrinkwrap.json)")
  run(["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], stage)
  run(["npm", "shrinkwrap"], stage)
  if (!existsSync(join(stage, "npm-shrinkwrap.json"))) {
    log("pack: npm shrinkwrap wrote no npm-shrinkwrap.json")
    process.exit(1)
  }
}

const out = resolve(values.out!)
mkdirSync(out, { recursive: true })
const tarball = join(out, `${OVERLAY_NAME}-${source.version}.tgz`)
rmSync(tarball, { force: true })
run(["npm", "pack", "--pack-destination", out, "--silent"], stage)
if (!existsSync(tarball)) {
  log(`pack: npm pack did not write ${tarball}`)
  process.exit(1)
}
log(`pack: wrote ${tarball}`)
process.stdout.write(`${tarball}\n`)
