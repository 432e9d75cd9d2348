/**
 * What an overlay secret rule is (pure), and the judgements every rule shares:
 * what stands for a secret without being one, and what is a path.
 */

/** A secret found in a text: what to replace, by what, and its kind. */
export type Secret = {
  /** The text to replace, exactly as it appears. */
  readonly find: string
  readonly replace: string
  readonly kind: string
}

/**
 * A marker: an expression every match of some rule's patterns contains, and optionally a literal every match
 * of the marker contains, its gate. A text without the gate is not read for the marker: JavaScriptCore finds
 * a plain literal several times faster than any expression with a class, a group or a look-around in it
 * (`://` 0.9 ms, the connection strings' marker led by it 2.3 ms, on 12 MB of code-like tool output).
 */
export type Marked = {
  /** Cheap: matches every text the patterns can match (regular expressions led by a literal scan fastest). */
  readonly marker: RegExp
  readonly gate?: string
}

/** Does `text` hold `m`'s marker? */
export const hasMarker = (m: Marked, text: string): boolean =>
  (m.gate === undefined || text.includes(m.gate)) && m.marker.test(text)

export type Rule = Marked & {
  readonly kind: string
  /** Global; the secret is group 1 when there is one, else the whole match. */
  readonly pattern: RegExp
  /** The pattern's matches in `text`, in order, where a faster way than `pattern.exec` gives exactly the same ones. */
  readonly matches?: (text: string) => Iterable<RegExpExecArray>
  /** A match that is not a secret after all (a placeholder, low entropy, …). */
  readonly reject?: (value: string) => boolean
  /** What replaces the match (default `[REDACTED:<kind>]` for the secret). */
  readonly replace?: (match: RegExpExecArray) => Secret | undefined
}

/** Values that stand for a secret without being one: `${TOKEN}`, `<your-key>`, `changeme`, `xxxxxxxx`, `[REDACTED:…]`. */
export const PLACEHOLDER = /^(?:\$|<|%|\{\{|\[REDACTED|\*{3})|example|changeme|placeholder|your[-_]|x{6}/i

/** A path or a name made of lowercase segments (`prod/db/credentials`, `./keys/dev.pem`), not a secret. */
export const PATH = /^[./~]|^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+$/

/** A character of a name as the rules read one: letters, digits, `_`, `.`, `-`. */
export const isNameChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46 || code === 45

