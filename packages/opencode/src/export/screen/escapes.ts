/**
 * Secrets written escaped (pure): URL-encoded (`postgres%3A%2F%2Fapp%3Ahunter2%40db`,
 * `password%3Dhunter2`), or with JSON's escapes (`\u0070assword`, `\/`). The
 * rules read plain text; a text holding such escapes is read a second time
 * decoded, and what is found there is mapped back to the escaped text it came
 * from, so that the escaped form is what gets replaced.
 *
 * Only escapes of printable ASCII are decoded (`%20`…`%7E`, `\u0020`…`\u007E`,
 * `\/`): the others cannot spell a marker or a secret the rules know. A `\u`
 * escape is decoded whatever number of backslashes leads it, so that a text's
 * escape is still seen inside the runtime's JSON text, where its backslash is
 * doubled.
 */
import type { Secret } from "./rule.ts"

const ESCAPE = /%[2-7][0-9A-Fa-f]|\\+(?:u00[2-7][0-9A-Fa-f]|\/)/

/** Does `text` hold an escape worth decoding? */
export const hasEscapes = (text: string): boolean =>
  (text.includes("%") || text.includes("\\")) && ESCAPE.test(text)

const ESCAPES = /%([2-7][0-9A-Fa-f])|\\+(?:u00([2-7][0-9A-Fa-f])|\/)/g

const ESCAPE_ANYWHERE = new RegExp(ESCAPE.source, "g")
/** A line break as `split` takes it: as written (with its `\r`), or as JSON escapes it. */
const LINE_BREAKS = /\r?\n|\\n/g

/**
 * The lines of `text` that hold an escape, joined by "\n": `text.split(/\r?\n|\\n/)` filtered by
 * `hasEscapes`, found by walking the escapes and the line breaks together instead of cutting every line out
 * (a line of tool output in 14 holds one: `%20` in a logged URL). An escape holds no line break: its
 * backslashes are followed by `u` or `/`, never `n`.
 */
export function escapedLines(text: string): string {
  const lines: string[] = []
  ESCAPE_ANYWHERE.lastIndex = 0
  LINE_BREAKS.lastIndex = 0
  let start = 0
  let lineBreak = LINE_BREAKS.exec(text)
  for (let m = ESCAPE_ANYWHERE.exec(text); m; m = ESCAPE_ANYWHERE.exec(text)) {
    while (lineBreak && lineBreak.index < m.index) {
      start = lineBreak.index + lineBreak[0].length
      lineBreak = LINE_BREAKS.exec(text)
    }
    const end = lineBreak ? lineBreak.index : text.length
    lines.push(text.slice(start, end))
    if (!lineBreak) break
    // On after this line: its other escapes are in it.
    start = lineBreak.index + lineBreak[0].length
    ESCAPE_ANYWHERE.lastIndex = start
    lineBreak = LINE_BREAKS.exec(text)
  }
  return lines.join("\n")
}

export type Decoded = {
  readonly text: string
  /** For each character of `text`, where it starts in the escaped text; one more entry for the end. */
  readonly from: Uint32Array
}

/** `text` with its escapes of printable ASCII decoded, and where each decoded character came from. */
export function decodeEscapes(text: string): Decoded {
  const from = new Uint32Array(text.length + 1)
  let out = ""
  let last = 0
  ESCAPES.lastIndex = 0
  for (let m = ESCAPES.exec(text); m; m = ESCAPES.exec(text)) {
    for (let i = last; i < m.index; i++) from[out.length + i - last] = i
    out += text.slice(last, m.index)
    const hex = m[1] ?? m[2]
    const char = hex === undefined ? "/" : String.fromCharCode(Number.parseInt(hex, 16))
    // A decoded `%` or `\` does not start another escape: the loop goes on after this one.
    from[out.length] = m.index
    out += char
    last = m.index + m[0].length
  }
  for (let i = last; i < text.length; i++) from[out.length + i - last] = i
  out += text.slice(last)
  from[out.length] = text.length
  return { text: out, from: from.subarray(0, out.length + 1) }
}

/**
 * A secret found in the decoded text, as it appears in the escaped one: the
 * part of the finding that its replacement changes (a URL's password, or the
 * whole value), at each place it occurs, by the escaped text it came from.
 */
export function escapedSecrets(decoded: Decoded, escaped: string, secret: Secret): Secret[] {
  // The replacement may keep the finding's ends (`scheme://user:` … `@host`): only what it changes is the secret.
  let head = 0
  while (head < secret.find.length && head < secret.replace.length && secret.find[head] === secret.replace[head]) head++
  let tail = 0
  while (
    tail < secret.find.length - head &&
    tail < secret.replace.length - head &&
    secret.find[secret.find.length - 1 - tail] === secret.replace[secret.replace.length - 1 - tail]
  )
    tail++
  const core = secret.find.slice(head, secret.find.length - tail)
  const replace = secret.replace.slice(head, secret.replace.length - tail)
  if (core.length === 0) return []
  const out: Secret[] = []
  for (let at = decoded.text.indexOf(core); at !== -1; at = decoded.text.indexOf(core, at + core.length)) {
    const find = escaped.slice(decoded.from[at]!, decoded.from[at + core.length]!)
    if (find.length > 0) out.push({ find, replace, kind: secret.kind })
  }
  return out
}
