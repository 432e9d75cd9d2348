/**
 * Embedding message text, which is itself Markdown, in the export (pure).
 *
 * Assistant answers are Markdown and read best rendered as such, but their
 * text must not change the document's structure: a `## ` line in an answer
 * would look like the next message, an unclosed code fence or an HTML block
 * would swallow everything after it, and a link reference definition would
 * change links elsewhere. So a text goes in verbatim, with its headings moved
 * below the message heading, only when a conservative line scan (following
 * CommonMark's fence rules) proves it closes every block it opens. Any other
 * text goes in as one fenced block, which shows it exactly.
 */
import { fenced } from "./fence.ts"

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/
const ATX_HEADING = /^( {0,3})(#{1,6})(?=[ \t]|$)/
/** A setext underline, or a thematic break made of `-` (which can also underline). */
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/
/** Starts of CommonMark HTML blocks (all seven kinds, conservatively). */
const HTML_BLOCK = /^ {0,3}<(?:[A-Za-z]|\/[A-Za-z]|!|\?)/
const LINK_DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:/

export type Embedded =
  /** The text, verbatim apart from shifted headings. */
  | { readonly kind: "markdown"; readonly text: string }
  /** The text is not safe to embed; shown as a fenced block. */
  | { readonly kind: "fenced"; readonly text: string }

/** Lines that could open a block or a heading (a text without any is safe as it is). */
const SPECIAL_LINE = /^ {0,3}(?:#|```|~~~|<|\[|=|-+[ \t]*$)/m

/**
 * `text` with CRLF and CR as LF and no trailing newlines. The regular expressions run only when there is
 * something to change: on a text without any, `/\n+$/` still tries every newline, which showed in profiles.
 */
function normalize(text: string): string {
  const lf = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text
  return lf.endsWith("\n") ? lf.replace(/\n+$/, "") : lf
}

/**
 * Makes `text` safe to place under a heading of level `level - 1`: its
 * headings start at `level` (capped at 6). Ends with a newline.
 */
export function embedMarkdown(text: string, level: number): Embedded {
  const normalized = normalize(text)
  if (!SPECIAL_LINE.test(normalized)) return { kind: "markdown", text: `${normalized}\n` }
  const shift = Math.max(0, level - 1)
  const lines = normalized.split("\n")
  const out: string[] = []
  let fence: { char: string; length: number } | undefined
  let previousBlank = true
  for (const line of lines) {
    if (fence) {
      out.push(line)
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined
      previousBlank = false
      continue
    }
    const open = FENCE_OPEN.exec(line)
    // A backtick fence's info string may not contain backticks (then it is inline code).
    if (open && !(open[2]![0] === "`" && open[3]!.includes("`"))) {
      fence = { char: open[2]![0]!, length: open[2]!.length }
      out.push(line)
      previousBlank = false
      continue
    }
    if (HTML_BLOCK.test(line) || LINK_DEFINITION.test(line)) return asFenced(text)
    if (!previousBlank && SETEXT_UNDERLINE.test(line)) return asFenced(text)
    const heading = ATX_HEADING.exec(line)
    if (heading) {
      const depth = Math.min(6, heading[2]!.length + shift)
      out.push(heading[1]! + "#".repeat(depth) + line.slice(heading[0].length))
    } else {
      out.push(line)
    }
    previousBlank = line.trim() === ""
  }
  if (fence) return asFenced(text)
  return { kind: "markdown", text: `${out.join("\n")}\n` }
}

function asFenced(text: string): Embedded {
  return { kind: "fenced", text: fenced(normalize(text), "markdown") }
}

/** Characters that could start inline Markdown syntax in plain text. */
const INLINE_SPECIAL = /[\\`*_[\]<>#|~&!]/g

/**
 * Plain text (a title, a file name) as inline Markdown that shows exactly that
 * text on one line: special characters are backslash-escaped.
 */
export function escapeInline(text: string): string {
  const flat = /[\r\n]/.test(text) ? text.replace(/\s*[\r\n]+\s*/g, " ") : text
  INLINE_SPECIAL.lastIndex = 0
  return INLINE_SPECIAL.test(flat) ? flat.replace(INLINE_SPECIAL, (c) => `\\${c}`) : flat
}

/** `text` as a block quote: every line prefixed, so nothing inside can leave it. */
export function quoted(markdown: string): string {
  return markdown
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n")
    .concat("\n")
}
