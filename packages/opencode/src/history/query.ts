/**
 * A search query as people type it, turned into an FTS5 MATCH expression
 * (pure). What a user may write: words (all must appear), "quoted phrases",
 * a prefix (`deplo*`), and `-word` or `-"a phrase"` to leave out what holds it.
 * Every term reaches FTS5 as a quoted string, so FTS5's own operators (AND,
 * OR, NEAR, column filters, `^`) typed by a user are searched as words and can
 * never make a query FTS5 rejects.
 */

export type QueryTerm = {
  /** The words of the term, as FTS5's tokenizer will split them. */
  readonly text: string
  readonly phrase: boolean
  readonly prefix: boolean
  readonly exclude: boolean
}

export type ParsedQuery = {
  readonly terms: ReadonlyArray<QueryTerm>
  /** The FTS5 MATCH expression. */
  readonly match: string
}

export type QueryProblem = { readonly problem: string }

/** A term's text has something to search: a letter or a digit (what the unicode61 tokenizer keeps). */
const SEARCHABLE = /[\p{L}\p{N}]/u

/** FTS5 string literal: double quotes doubled. */
const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`

export function parseQuery(input: string): ParsedQuery | QueryProblem {
  const terms: QueryTerm[] = []
  let i = 0
  const text = input.trim()
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++
      continue
    }
    let exclude = false
    if (text[i] === "-" && i + 1 < text.length && !/\s/.test(text[i + 1]!)) {
      exclude = true
      i++
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1)
      if (end === -1) return { problem: `a quote opened at character ${i + 1} is not closed: ${text.slice(i)}` }
      const phrase = text.slice(i + 1, end)
      i = end + 1
      const prefix = text[i] === "*"
      if (prefix) i++
      if (!SEARCHABLE.test(phrase)) return { problem: `"${phrase}" has no letter or digit to search for` }
      terms.push({ text: phrase.trim(), phrase: true, prefix, exclude })
      continue
    }
    let end = i
    while (end < text.length && !/\s/.test(text[end]!)) end++
    let word = text.slice(i, end)
    i = end
    const prefix = word.endsWith("*")
    if (prefix) word = word.replace(/\*+$/, "")
    if (word.includes('"')) return { problem: `a quote inside a word (${word}): quote a whole phrase, "like this"` }
    if (!SEARCHABLE.test(word)) {
      if (word === "" && prefix) return { problem: "a lone * has nothing to complete: write the start of a word before it (deplo*)" }
      return { problem: `${JSON.stringify(word)} has no letter or digit to search for` }
    }
    terms.push({ text: word, phrase: false, prefix, exclude })
  }
  const wanted = terms.filter((t) => !t.exclude)
  if (wanted.length === 0)
    return {
      problem: terms.length === 0 ? "the query is empty" : "the query only leaves words out (-word): say what to find too",
    }
  const expression = (t: QueryTerm) => `${quoted(t.text)}${t.prefix ? " *" : ""}`
  const left = wanted.map(expression).join(" AND ")
  const right = terms.filter((t) => t.exclude).map(expression)
  const match = right.length === 0 ? left : `(${left}) NOT (${right.join(" OR ")})`
  return { terms, match }
}
