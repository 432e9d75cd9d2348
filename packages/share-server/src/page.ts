/**
 * A share as a page: its stored items (redacted on the way in) made into the
 * overlay's session tree and rendered by the overlay's own HTML export (one
 * self-contained page, its strict CSP, tool calls with their output), so a
 * shared session reads as an exported one does.
 */
import type { Message, Part, Session } from "@opencode-ai/sdk/v2"
import { createHash } from "node:crypto"
import { esc, HTML_CSP, htmlDocument } from "@local/opencode/html"
import { isKnownPart, type UnknownPart } from "@local/opencode/parts"
import { counting, entriesOf, type ExportDocument, type MessageNode, type PartNode, type Redaction } from "@local/opencode/tree"
import type { StoredItem } from "./store.ts"

/**
 * A share's page follows its share: a small script listens on
 * `/api/share/<id>/events` and reloads the page (where it was scrolled to)
 * when a sync arrives on any instance (`data-live="on"` on the root element
 * while it listens). It is the one thing the page adds to
 * the export's, and the one thing its CSP allows more: that script, and
 * connections to this server.
 */
const LIVE_SCRIPT = `(()=>{const k="share-scroll",y=sessionStorage.getItem(k);if(y!==null){sessionStorage.removeItem(k);scrollTo(0,Number(y))}const s=new EventSource(location.pathname.replace(/^\\/share\\//,"/api/share/")+"/events");const d=document.documentElement.dataset;s.addEventListener("ready",()=>{d.live="on"});s.onerror=()=>{d.live="off"};s.addEventListener("change",()=>{sessionStorage.setItem(k,String(scrollY));location.reload()})})()`
const LIVE_HASH = `'sha256-${createHash("sha256").update(LIVE_SCRIPT).digest("base64")}'`

export const PAGE_CSP = HTML_CSP.replace(/script-src ([^;]+)/, `script-src $1 ${LIVE_HASH}`).replace("default-src 'none'", "default-src 'none'; connect-src 'self'")

export const SERVER_NAME = "opencode-local-overlay share server"

type Node = { readonly info: Message; readonly json: string; readonly parts: PartNode[] }

/** The session tree of a share's items; undefined before its session item has arrived. */
export function shareDocument(items: ReadonlyArray<StoredItem>, context: { readonly version: string; readonly redaction: Redaction; readonly now: number }): ExportDocument | undefined {
  const sessionItem = items.find((i) => i.type === "session")
  if (!sessionItem) return undefined
  const info = JSON.parse(sessionItem.json) as Session
  const messages = new Map<string, Node>()
  for (const item of items) {
    if (item.type !== "message") continue
    const message = JSON.parse(item.json) as Message
    messages.set(message.id, { info: message, json: item.json, parts: [] })
  }
  for (const item of items) {
    if (item.type !== "part") continue
    const part = JSON.parse(item.json) as Part | UnknownPart
    const node = messages.get(part.messageID)
    if (!node) continue
    node.parts.push(isKnownPart(part) ? { kind: "part", value: part, json: item.json } : { kind: "unsupported", value: part as UnknownPart, json: item.json })
  }
  const ordered: MessageNode[] = [...messages.values()]
    .sort((a, b) => a.info.time.created - b.info.time.created || (a.info.id < b.info.id ? -1 : 1))
    .map((m) => ({ ...m, parts: m.parts.sort((a, b) => (a.value.id < b.value.id ? -1 : a.value.id > b.value.id ? 1 : 0)) }))
  const { entries, stats } = counting(entriesOf(ordered))
  return {
    runtime: { name: "opencode-ai", version: info.version ?? "unknown" },
    overlay: { name: SERVER_NAME, version: context.version },
    exportedAt: new Date(context.now).toISOString(),
    redaction: context.redaction,
    source: "attach",
    tree: { info, json: sessionItem.json, todos: [], warnings: [], entries, stats, children: [] },
  }
}

/** The page of a share: the session, or a note that nothing has arrived yet. */
export async function sharePage(items: ReadonlyArray<StoredItem>, context: Parameters<typeof shareDocument>[1]): Promise<string> {
  const doc = shareDocument(items, context)
  if (!doc) return messagePage("Nothing here yet", "This share has no session yet: its publisher's first sync has not arrived.")
  const html = await htmlDocument(doc, { thinking: false, toolDetails: true, diffs: false })
  // The export's own CSP (in its meta element) widened by the live script only, and the script added.
  return html.split(HTML_CSP).join(PAGE_CSP).replace(/<\/body>\n<\/html>\n$/, `<script>${LIVE_SCRIPT}</script>\n</body>\n</html>\n`)
}

/** A small page of the server's own (sign-in needed, not found), under the same CSP. */
export function messagePage(title: string, text: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>\n<body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>\n`
}
