/**
 * `opencode upgrade` and `opencode uninstall` through the overlay. The
 * runtime's own commands act on a global `opencode-ai` (upgrade runs
 * `npm install -g opencode-ai@<version>`, or whichever installer it detects;
 * uninstall removes that package and, unless told otherwise, every session,
 * config and cache folder). Neither is what a user of the overlay means: the
 * runtime here is the one the overlay pins, and a global `opencode-ai` is the
 * unguarded runtime. So both say what is installed and how to upgrade or remove
 * the overlay itself, and change nothing.
 */
import { dirname } from "node:path"
import * as Effect from "effect/Effect"
import { Runtime } from "../runtime/service.ts"
import { OVERLAY_NAME, OVERLAY_VERSION, RUNTIME_PACKAGE } from "../version.ts"
import type { CommandRun } from "../program/overlay-command.ts"
import { ExitCode } from "../errors/exit-codes.ts"
import { PACKAGE_DIR } from "../package-files.ts"

const installed = PACKAGE_DIR.split(/[\\/]/).includes("node_modules")

function howTo(what: "upgrade" | "uninstall"): string[] {
  if (!installed) {
    const repo = dirname(dirname(PACKAGE_DIR))
    return what === "upgrade"
      ? [`To upgrade, update the checkout and reinstall: cd ${repo} && git pull && npx -y bun@1.4.5 install`]
      : [`To remove it, unlink its bin from your PATH and delete the checkout (${repo}).`]
  }
  return what === "upgrade"
    ? [
        `To upgrade, install the newer overlay's tarball: npm install -g ./${OVERLAY_NAME}-<version>.tgz`,
        `  (it brings the runtime version it pins; see the README's "Install" section).`,
      ]
    : [`To remove it: npm uninstall -g ${OVERLAY_NAME}`]
}

const keep = [
  "Your sessions, config and caches are not touched; remove them yourself if you want them gone:",
  "    ~/.local/share/opencode, ~/.config/opencode, ~/.cache/opencode (or their $XDG_* folders).",
  "  The overlay linked its @opencode-ai/plugin into ~/.config/opencode/node_modules; if you keep that folder for",
  "  another OpenCode, delete node_modules/@opencode-ai/plugin there so that one installs its own.",
].join("\n")

export const selfCommand =
  (what: "upgrade" | "uninstall"): CommandRun =>
  () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      const lines = [
        `opencode: ${what} is not run: this is ${OVERLAY_NAME} ${OVERLAY_VERSION}, which runs the OpenCode runtime ${RUNTIME_PACKAGE} ${runtime.location.version} pinned in its own installation (${runtime.location.binary}).`,
        what === "upgrade"
          ? `  The runtime's "upgrade" would install a global, unguarded ${RUNTIME_PACKAGE}; the overlay's runtime is upgraded only with the overlay.`
          : `  The runtime's "uninstall" would remove a global ${RUNTIME_PACKAGE} and delete your sessions and settings; the overlay's runtime goes with the overlay.`,
        ...howTo(what).map((line) => `  ${line}`),
        ...(what === "uninstall" ? [`  ${keep}`] : []),
      ]
      process.stderr.write(`${lines.join("\n")}\n`)
      return ExitCode.usage
    })
