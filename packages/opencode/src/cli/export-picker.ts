/**
 * Choosing a session on a terminal when `opencode export` got no id: a
 * numbered list (most recently updated first: title, time, folder) and a
 * prompt, all on stderr, so stdout still carries only the written path.
 */
import { createInterface } from "node:readline/promises"
import type { SessionSummary } from "../export/read/source.ts"
import { shortLocal } from "../export/document/format.ts"

export const PICKER_SIZE = 20

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width))

/** The list as shown (pure). */
export function pickerList(sessions: ReadonlyArray<SessionSummary>, home: string | undefined, more: boolean): string {
  const tilde = (dir: string) => (home && home.length > 1 && (dir === home || dir.startsWith(`${home}/`)) ? `~${dir.slice(home.length)}` : dir)
  const lines = ["Sessions, most recently updated first:", ""]
  sessions.forEach((s, i) => {
    const title = cut(s.title.replace(/\s+/g, " ") || "Untitled session", 44)
    lines.push(`  ${String(i + 1).padStart(2)}  ${title}  ${shortLocal(s.time.updated)}  ${tilde(s.directory)}`)
  })
  if (more) lines.push("", `  (the ${sessions.length} most recent; type the id of an older one)`)
  return `${lines.join("\n")}\n\n`
}

/**
 * Asks on the terminal; resolves to a session id, or undefined when the
 * user quits. An id typed in full is taken as is.
 */
export async function pickSession(
  sessions: ReadonlyArray<SessionSummary>,
  options: { readonly home?: string; readonly more: boolean },
): Promise<string | undefined> {
  process.stderr.write(pickerList(sessions, options.home, options.more))
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = (await rl.question(`Export which session? 1-${sessions.length} or an id (Enter: 1, q: quit): `)).trim()
      if (answer === "") return sessions[0]?.id
      if (/^q(uit)?$/i.test(answer)) return undefined
      if (/^\d+$/.test(answer)) {
        const chosen = sessions[Number(answer) - 1]
        if (chosen) return chosen.id
        process.stderr.write(`There is no number ${answer} in the list.\n`)
        continue
      }
      return answer
    }
    return undefined
  } catch {
    // Ctrl-D or a closed terminal.
    return undefined
  } finally {
    rl.close()
  }
}
