import type { OverlayCommand } from "../program/overlay-command.ts"
import { OVERLAY_NAME, OVERLAY_VERSION } from "../version.ts"

/** The overlay's section of `opencode --help`, shown above the runtime's own help. */
export function overlayHelp(commands: ReadonlyArray<OverlayCommand>): string {
  const rows: Array<readonly [string, string]> = [
    ...commands.map((c) => [`opencode ${c.usage}`, c.summary] as const),
    ["opencode --version", "print the overlay's and the runtime's versions"],
  ]
  const width = Math.max(...rows.map(([usage]) => usage.length)) + 2
  return [
    `${OVERLAY_NAME} ${OVERLAY_VERSION}: a local-first overlay on the OpenCode runtime.`,
    "",
    "Overlay commands:",
    ...rows.map(([usage, summary]) => `  ${usage.padEnd(width)}${summary}`),
    "",
    "Every other command is the runtime's own, passed through unchanged:",
    "",
  ].join("\n")
}
