/**
 * Terminal output made readable (pure), for the readable exports (Markdown,
 * HTML); the JSON keeps what the runtime stored. A tool's output is what a
 * terminal would have received: colours and cursor moves (ANSI escape
 * sequences) are dropped, an OSC 8 hyperlink keeps its text, a line rewritten
 * with carriage returns (a progress bar) shows its final state, CRLF becomes
 * LF, and any other control character becomes a visible escape (`\x07`).
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`), and the two-character escapes. */
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g
const QUICK = /[\x00-\x08\x0b-\x1f\x7f\x9b]/

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`

/** What a terminal shows of a line written over itself with `\r`: each write covers the start of the last. */
function finalState(line: string): string {
  let shown = ""
  for (const write of line.split("\r")) shown = write + shown.slice(write.length)
  return shown
}

export function cleanTerminal(text: string): string {
  if (!QUICK.test(text)) return text
  let out = text.replace(ESCAPES, "").replace(/\r\n/g, "\n")
  if (out.includes("\r")) out = out.split("\n").map(finalState).join("\n")
  return out.replace(CONTROLS, hex)
}
