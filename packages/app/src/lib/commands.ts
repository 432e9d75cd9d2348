/** What the app takes from the session command registry (`GET /overlay/commands`). */
import type { CommandInfo } from "./types.ts"

export const EXPORT_LABEL = "Export session log"

/**
 * The export command's title from the registry, when it has a usable one; the
 * app works the same without a registry. Nothing else from the list is shown:
 * the app names no publishing feature, whatever a registry holds.
 */
export function exportLabel(commands: ReadonlyArray<CommandInfo> | undefined): string {
  const command = commands?.find((c) => c.name === "export" && c.offered)
  const title = command?.title.trim()
  return title && title.length <= 40 && !/share|publish/i.test(title) ? title : EXPORT_LABEL
}
