/**
 * The snippets of a search's hits. The index keeps no texts (it is
 * contentless, see index-file.ts), so each hit's text is read again from the
 * runtime's database, made into its entry as the update made it, and redacted
 * again with the same rules; FTS5 then marks the matched words in a scratch
 * table of the connection's own (temp, in memory), with the same tokenizer and
 * the same query, so a snippet marks what the index matched. A hit whose part
 * changed since the update and no longer matches shows its text's start; one
 * whose part is gone shows nothing.
 */
import type { Database } from "bun:sqlite"
import type { Sanitizer } from "../export/screen/sanitize.ts"
import { decodeMessage, decodePart } from "../storage/decode.ts"
import { partsWithMessages } from "../storage/session-reads.ts"
import { entryOf } from "./entries.ts"
import { TOKENIZE } from "./index-file.ts"
import { MARK_END, MARK_START, type Found, type Hit } from "./search.ts"

/** Words of context in a snippet, around the matched ones. */
const SNIPPET_WORDS = 16
/** What a hit shows when its text no longer matches: its first characters. */
const START_CHARS = 120

/** The text each hit was indexed from, as it is now in the runtime's database, redacted. */
async function hitTexts(runtime: Database, sanitizer: Sanitizer, hits: ReadonlyArray<Found>): Promise<Array<string | undefined>> {
  const read = partsWithMessages(runtime)
  try {
    return await Promise.all(
      hits.map(async (hit) => {
        if (hit.partID === null) return hit.title
        const row = read.get(hit.partID)
        if (!row) return undefined
        const message = decodeMessage(row.messageID, row.sessionID, row.messageData)
        const part = decodePart(row.partID, row.messageID, row.sessionID, row.partData)
        if (!message.ok || !part.ok || !part.known) return undefined
        const entry = entryOf(message.value, part.value)
        return entry ? sanitizer.text(entry.text) : undefined
      }),
    )
  } finally {
    read.finalize()
  }
}

/** Fills in each hit's snippet (`match` is the FTS5 query the hits were found with). */
export async function withSnippets(
  index: Database,
  runtime: Database,
  sanitizer: Sanitizer,
  match: string,
  hits: ReadonlyArray<Found>,
): Promise<Hit[]> {
  if (hits.length === 0) return []
  const texts = await hitTexts(runtime, sanitizer, hits)
  // A temp table lives in the connection's own temp database: writing it takes no lock on the index file.
  index.exec(`create virtual table if not exists temp.hit_text using fts5(text, tokenize = '${TOKENIZE}')`)
  const put = index.prepare("insert into temp.hit_text (rowid, text) values (?, ?)")
  try {
    texts.forEach((text, n) => text !== undefined && put.run(n, text))
    const marked = new Map(
      index
        .query<{ n: number; snippet: string }, [string]>(
          `select rowid as n, snippet(hit_text, 0, '${MARK_START}', '${MARK_END}', '…', ${SNIPPET_WORDS}) as snippet from temp.hit_text where hit_text match ?`,
        )
        .all(match)
        .map((r) => [r.n, r.snippet]),
    )
    return hits.map((hit, n) => {
      const text = texts[n]
      const snippet = marked.get(n) ?? (text === undefined ? "" : text.length > START_CHARS ? `${text.slice(0, START_CHARS)}…` : text)
      return { ...hit, snippet }
    })
  } finally {
    put.finalize()
    index.exec("delete from temp.hit_text")
  }
}
