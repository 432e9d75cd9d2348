/**
 * Items of the share protocol redacted for the outbox, with the export's
 * rules (secrets, keys included, and the home folder as `~`): what every item
 * goes through before it is written to disk or leaves the machine.
 */
import type { Sanitizer } from "../export/screen/sanitize.ts"
import type { KeyedItem } from "./share-protocol.ts"

export type JsonItem = KeyedItem & { readonly json: string }

export async function redactItems(sanitizer: Sanitizer, items: ReadonlyArray<JsonItem>): Promise<JsonItem[]> {
  const out: JsonItem[] = []
  for (const item of items) {
    const clean = await sanitizer.value(item.data, item.json)
    out.push({ ...item, data: clean.value, json: clean.json })
  }
  return out
}
