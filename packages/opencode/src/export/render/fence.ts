/**
 * Code fences and code spans that no content can break (pure).
 *
 * A CommonMark fenced block ends at the first line holding a run of the fence
 * character at least as long as the opening one; a code span ends at the next
 * backtick run of exactly its own length. So a fence one backtick longer than
 * the longest run inside, and a span delimiter of a length that does not occur
 * inside, always enclose their content exactly.
 */

/** The longest run of `char` (one character) in `text`. */
export function longestRun(text: string, char = "`"): number {
  let longest = 0
  let from = 0
  while (true) {
    const start = text.indexOf(char, from)
    if (start === -1) return longest
    let end = start + 1
    while (text.charCodeAt(end) === char.charCodeAt(0)) end++
    if (end - start > longest) longest = end - start
    from = end
  }
}

/** The backtick fence for `content`: at least three, one more than its longest backtick run. */
export function fenceFor(content: string): string {
  return "`".repeat(Math.max(3, longestRun(content) + 1))
}

/**
 * `content` as a fenced code block, ending with a newline. The content comes
 * back exactly from a CommonMark parser (line endings as `\n`; a final
 * newline is not part of the block). `info` is the language tag.
 */
export function fenced(content: string, info = ""): string {
  const body = content.replace(/\r\n?/g, "\n")
  const fence = fenceFor(body)
  const tag = info.replace(/[`\s]/g, "")
  return `${fence}${tag}\n${body}${body === "" || body.endsWith("\n") ? "" : "\n"}${fence}\n`
}

/** Backtick runs lengths present in `text`. */
function runLengths(text: string): Set<number> {
  const lengths = new Set<number>()
  const re = /`+/g
  for (let m = re.exec(text); m; m = re.exec(text)) lengths.add(m[0].length)
  return lengths
}

/**
 * `text` as an inline code span on one line. Newlines become spaces (a span is
 * one line here); padding spaces keep a leading or trailing backtick apart
 * from the delimiter, and CommonMark strips exactly one of them again.
 */
export function inlineCode(text: string): string {
  if (!/[`\r\n]/.test(text) && !text.startsWith(" ") && !text.endsWith(" ")) return `\`${text}\``
  const flat = text.replace(/\r\n?|\n/g, " ")
  const lengths = runLengths(flat)
  let n = 1
  while (lengths.has(n)) n++
  const delimiter = "`".repeat(n)
  const pad = flat.startsWith("`") || flat.endsWith("`") || (/^ .* $/.test(flat) && flat.trim() !== "") ? " " : ""
  return `${delimiter}${pad}${flat}${pad}${delimiter}`
}
