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

const NEWLINE = 10
const RETURN = 13
const BACKSLASH = 92
const N = 110

/**
 * The lines of `text` that hold an escape, joined by "\n": `text.split(/\r?\n|\\n/)` filtered by
 * `hasEscapes`, where a line break is one as written (with its `\r`) or as JSON escapes it. Found from the
 * escapes: each one's line read back to its start and on to its end, character by character, and the search
 * for the next escape resumed after that line, so that every character is read at most twice (a line of tool
 * output in 14 holds one, a `%20` in a logged URL; cutting out every line, or finding every break with a
 * regular expression, cost more than the rest of the search). An escape holds no line break: its backslashes
 * are followed by `u` or `/`, never `n`.
 */
export function escapedLines(text: string): string {
  const lines: string[] = []
  let done = 0
  ESCAPE_ANYWHERE.lastIndex = 0
  for (let m = ESCAPE_ANYWHERE.exec(text); m; m = ESCAPE_ANYWHERE.exec(text)) {
    // Back to the end of the break before the escape (none before `done`, where the last line ended).
    let start = m.index
    while (start > done) {
      const c = text.charCodeAt(start - 1)
      if (c === NEWLINE || (c === N && start - 2 >= done && text.charCodeAt(start - 2) === BACKSLASH)) break
      start--
    }
    // On to the break after it: `\n` (with a `\r` before it) or `\\n`.
    let end = m.index
    let next = text.length
    for (; end < text.length; end++) {
      const c = text.charCodeAt(end)
      if (c === NEWLINE) {
        next = end + 1
        if (end > start && text.charCodeAt(end - 1) === RETURN) end--
        break
      }
      if (c === BACKSLASH && text.charCodeAt(end + 1) === N) {
        next = end + 2
        break
      }
    }
    lines.push(text.slice(start, end))
    if (next >= text.length) break
    done = next
    ESCAPE_ANYWHERE.lastIndex = next
  }
  return lines.join("\n")
}

/** What an escape stands for, given its hex digits (none: `\/`). */
const decoded = (hex: string | undefined): string => (hex === undefined ? "/" : String.fromCharCode(Number.parseInt(hex, 16)))

/** `decodeEscapes(text).text`, without the map back (most decoded texts hold nothing to map back). */
export const decodedText = (text: string): string => text.replace(ESCAPES, (_escape, percent?: string, unicode?: string) => decoded(percent ?? unicode))

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
    const char = decoded(m[1] ?? m[2])
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
