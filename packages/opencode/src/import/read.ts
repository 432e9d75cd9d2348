/**
 * Reading a file given to `opencode import` (pure): the overlay's JSON export
 * (a session tree with its subagent sessions, docs/export-format.md) or the
 * runtime's own export (`{ info, messages }`), checked whole before anything
 * is written. Each session becomes what the runtime's import reads.
 */
import { FORMAT, SCHEMA_VERSION } from "../export/render/json.ts"
import { ImportInvalid } from "./errors.ts"

/** One session as the runtime's `opencode import` reads it. */
export type RuntimeSessionFile = {
  readonly info: Record<string, unknown>
  readonly messages: ReadonlyArray<{ readonly info: Record<string, unknown>; readonly parts: ReadonlyArray<Record<string, unknown>> }>
}

export type ImportSession = {
  readonly id: string
  readonly parentID?: string
  readonly title: string
  readonly slug: string
  readonly created: number
  readonly messageIDs: ReadonlyArray<string>
  readonly partIDs: ReadonlyArray<string>
  readonly file: RuntimeSessionFile
}

export type ImportFile = {
  readonly kind: "overlay" | "runtime"
  /** Parents before their children. */
  readonly sessions: ReadonlyArray<ImportSession>
  /** The export replaced secrets or the home folder: the placeholders are imported as they are. */
  readonly redacted: boolean
}

const JSON_EXPORT = "opencode export <sessionID> --format json"

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)
const invalid = (message: string) => new ImportInvalid({ message })

/** What the start of a file that is not JSON says it is. */
function notJson(text: string, cause: string): ImportInvalid {
  const head = text.trimStart().slice(0, 200).toLowerCase()
  if (head.startsWith("<!doctype html") || head.startsWith("<html"))
    return invalid(`this is an HTML export, for reading; import takes the JSON export: ${JSON_EXPORT}`)
  if (head.startsWith("# ") || head.startsWith("---\n"))
    return invalid(`this is a Markdown export, for reading; import takes the JSON export: ${JSON_EXPORT}`)
  return invalid(`not valid JSON (${cause}); the file may be truncated. Import takes the JSON export: ${JSON_EXPORT}`)
}

function session(node: unknown, where: string, parentID?: string): ImportSession {
  if (!isObj(node)) throw invalid(`${where} is not an object`)
  const info = node.info
  if (!isObj(info)) throw invalid(`${where} has no "info"`)
  const id = info.id
  if (typeof id !== "string" || !id.startsWith("ses_")) throw invalid(`${where}.info.id is missing or not a session id`)
  const time = isObj(info.time) ? info.time : undefined
  if (typeof time?.created !== "number") throw invalid(`${where}.info.time.created is missing`)
  if (!Array.isArray(node.messages)) throw invalid(`${where}.messages is missing`)
  const messageIDs: string[] = []
  const partIDs: string[] = []
  const messages = node.messages.map((m: unknown, i): RuntimeSessionFile["messages"][number] => {
    const at = `${where}.messages[${i}]`
    if (!isObj(m) || !isObj(m.info)) throw invalid(`${at} has no "info"`)
    const mid = m.info.id
    if (typeof mid !== "string" || !mid.startsWith("msg_")) throw invalid(`${at}.info.id is missing or not a message id`)
    if (m.info.role !== "user" && m.info.role !== "assistant") throw invalid(`${at}.info.role must be "user" or "assistant"`)
    if (!Array.isArray(m.parts)) throw invalid(`${at}.parts is missing`)
    m.parts.forEach((p: unknown, j) => {
      if (!isObj(p) || typeof p.id !== "string" || !p.id.startsWith("prt_") || typeof p.type !== "string")
        throw invalid(`${at}.parts[${j}] needs an "id" (prt_…) and a "type"`)
      // The runtime files a part under the message it names, not the one it sits in.
      if (p.messageID !== mid) throw invalid(`${at}.parts[${j}] (${p.id}) names message ${JSON.stringify(p.messageID)}, not the message it is in (${mid})`)
    })
    messageIDs.push(mid)
    for (const p of m.parts as Obj[]) partIDs.push(p.id as string)
    return { info: m.info, parts: m.parts as Obj[] }
  })
  const parent = typeof info.parentID === "string" ? info.parentID : undefined
  if (parentID !== undefined && parent !== parentID) throw invalid(`${where}.info.parentID is not its parent's id (${parentID})`)
  return {
    id,
    ...(parent !== undefined ? { parentID: parent } : {}),
    title: typeof info.title === "string" ? info.title : "",
    slug: typeof info.slug === "string" ? info.slug : "",
    created: time.created,
    messageIDs,
    partIDs,
    file: { info, messages },
  }
}

/** How deep subagent sessions may nest in a file, and how many sessions it may hold (docs/export-format.md). */
export const IMPORT_LIMITS = { depth: 64, sessions: 10_000 } as const

/**
 * The session tree, parents before children, walked without recursion (a file
 * nested 20,000 deep is a bad file, not a stack overflow).
 */
function tree(root: unknown, out: ImportSession[]): void {
  const stack: Array<{ node: unknown; where: string; depth: number; parentID?: string }> = [{ node: root, where: "session", depth: 0 }]
  while (stack.length > 0) {
    const { node, where, depth, parentID } = stack.pop()!
    if (depth > IMPORT_LIMITS.depth)
      throw invalid(`subagent sessions are nested more than ${IMPORT_LIMITS.depth} deep; no export of a real session is`)
    const s = session(node, where, parentID)
    out.push(s)
    if (out.length > IMPORT_LIMITS.sessions) throw invalid(`the file holds more than ${IMPORT_LIMITS.sessions} sessions`)
    const children = (node as Obj).children
    if (children === undefined) continue
    if (!Array.isArray(children)) throw invalid(`${where}.children is not a list`)
    // Pushed last to first, so they come off in the file's order.
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i], where: depth < 8 ? `${where}.children[${i}]` : `a session ${depth + 1} levels down, children[${i}]`, depth: depth + 1, parentID: s.id })
  }
}

/** Each message and part id once in the whole file: the runtime would keep the first and drop the rest without a word. */
function uniqueIds(sessions: ReadonlyArray<ImportSession>): ImportInvalid | undefined {
  const seen = new Map<string, string>()
  for (const s of sessions) {
    if (seen.has(s.id)) return invalid(`session ${s.id} appears twice in the file`)
    seen.set(s.id, s.id)
    for (const m of s.file.messages) {
      for (const id of [m.info.id as string, ...m.parts.map((p) => p.id as string)]) {
        const first = seen.get(id)
        if (first !== undefined) return invalid(`${id} appears twice in the file (in session ${first} and in session ${s.id})`)
        seen.set(id, s.id)
      }
    }
  }
  return undefined
}

/** The file's sessions, checked, or the first thing wrong with it. */
export function readImportFile(text: string): ImportFile | ImportInvalid {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    return notJson(text, cause instanceof Error ? cause.message : String(cause))
  }
  if (!isObj(value)) return invalid(`the file holds JSON but not an export (an object is expected); import takes the JSON export: ${JSON_EXPORT}`)
  try {
    if (value.format !== undefined || value.schema_version !== undefined) {
      if (value.format !== FORMAT) return invalid(`"format" is ${JSON.stringify(value.format)}, not "${FORMAT}"`)
      if (value.schema_version !== SCHEMA_VERSION)
        return invalid(`"schema_version" ${JSON.stringify(value.schema_version)} is not one this overlay reads (${SCHEMA_VERSION}); import it with the overlay that wrote it, or export it again`)
      const sessions: ImportSession[] = []
      tree(value.session, sessions)
      const repeated = uniqueIds(sessions)
      if (repeated) return repeated
      const redaction = isObj(value.redaction) ? value.redaction : {}
      return { kind: "overlay", sessions, redacted: redaction.secrets === true || redaction.home === true }
    }
    // The runtime's own `opencode export <id>`: one session, no children.
    const sessions = [session(value, "the file")]
    return uniqueIds(sessions) ?? { kind: "runtime", sessions, redacted: false }
  } catch (error) {
    if (error instanceof ImportInvalid) return error
    throw error
  }
}
