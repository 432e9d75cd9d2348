/**
 * The .gitignore the overlay keeps in a session log folder (pure). Logs are
 * ignored unless the project says they are meant to be committed: a history
 * committed by accident is the mistake this guards against. A .gitignore
 * without the first line below is the project's own and is left alone.
 */
import type { SessionLogSettings } from "./settings.ts"

const MARK = "# Session logs of opencode-local-overlay (session-log.json)."

export const isOurGitignore = (text: string): boolean => text.startsWith(MARK)

export function gitignoreText(settings: Pick<SessionLogSettings, "commit">): string {
  return settings.commit
    ? `${MARK}\n# "commit": true: the logs are meant to be committed, so none is ignored.\n`
    : `${MARK}\n# Ignored, so that no log is committed by accident; "commit": true in session-log.json keeps them.\n*\n!.gitignore\n`
}
