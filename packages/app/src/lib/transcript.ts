/**
 * The transcript's view model (pure): the session's JSON export in
 * (`GET /overlay/session/:id/export?format=json`, docs/export-format.md),
 * what the session view shows out. The export is structured data with the
 * runtime's own message and part shapes, so nothing here parses rendered
 * text; the server has already redacted every string in it.
 *
 * - a collapsed "Session details" box: the main numbers on its summary line,
 *   the whole list of facts on demand, then the session's todos;
 * - one message per user or assistant message, in order, each a list of items:
 *   text (Markdown, rendered and sanitized by the view), reasoning, tool calls
 *   (a one-line summary, their error, input, output and diff on demand),
 *   attachments, notes (patches, retries, compactions, agents, subtasks),
 *   the message's error;
 * - subagent sessions right after the tool call that started them (the others
 *   after the session's messages), nested one heading level pair deeper;
 * - the session's changed files, and rows the export could not read.
 *
 * Every list element has a `key` that stays the same across refreshes (ids
 * from the export), so a live view can keep what is on the page and what is open.
 */
import { compactionNote, CONTINUE_NOTE, continuesCompaction, cut, fileName, sessionFacts as exportFacts } from "@local/opencode/facts"
import { isKnownPart, toolTitle } from "@local/opencode/parts"
import { cleanTerminal } from "@local/opencode/terminal"
import { bytes, count, duration, isoLocal, money, shortLocal } from "./format.ts"
import type { ExportedPart, ExportedSession, JsonExport, Message, Part, TreeWarning } from "./types.ts"

type ToolPart = Extract<Part, { type: "tool" }>
type FilePart = Extract<Part, { type: "file" }>
type UserMessage = Extract<Message, { role: "user" }>
type AssistantMessage = Extract<Message, { role: "assistant" }>
type FileDiff = NonNullable<UserMessage["summary"]>["diffs"][number]

// ---------- the view model ----------

/** Plain text, with some bits as code or in bold. Always shown as text, never parsed. */
export type Inline = string | { readonly code: string } | { readonly strong: string }

/** Text of a block that can be long: what is shown, and what was cut. */
export type Shown = {
  readonly text: string
  /** Left out (past OUTPUT_MAX_CHARS or OUTPUT_MAX_LINES): how much. */
  readonly cut?: { readonly chars: number; readonly lines: number }
}

export type Fact = { readonly name: string; readonly value: ReadonlyArray<Inline> }

export type TodoView = {
  readonly key: string
  readonly content: string
  readonly done: boolean
  /** `(in_progress, high priority)`; empty when done. */
  readonly note: string
}

export type TextItem = {
  readonly kind: "text"
  readonly key: string
  /** Markdown, as the model or the user wrote it. */
  readonly markdown: string
}

/** Text the runtime added to a message (what it read for an attachment), shown as it is. */
export type RuntimeTextItem = { readonly kind: "runtime-text"; readonly key: string; readonly text: Shown }

export type ReasoningItem = { readonly kind: "reasoning"; readonly key: string; readonly markdown: string }

export type ToolStatus = "completed" | "error" | "running" | "pending"

export type ToolItem = {
  readonly kind: "tool"
  readonly key: string
  /** The tool's name: `bash`, `read`, `task`, … */
  readonly tool: string
  /** What the call did, in a few words (its title, or its main argument, on one line); may be empty. */
  readonly title: string
  /** The state the runtime recorded; a status a later runtime adds is kept as it is. */
  readonly status: ToolStatus | (string & {})
  readonly failed: boolean
  /** How long it ran, once it ended. */
  readonly duration?: string
  readonly error?: string
  /** The input, as indented JSON. */
  readonly input: string
  readonly output?: Shown
  /** The diff of an edit. */
  readonly diff?: string
}

export type FileItem = {
  readonly kind: "file"
  readonly key: string
  readonly name: string
  readonly mime: string
  /** When the export left the bytes out: their size and hash. */
  readonly size?: string
  readonly sha256?: string
  /** Where the file was (a `file://` or web address), when it was not a payload. */
  readonly url?: string
}

/** A one-line part: `Patch`, `Retry`, `Compaction`, `Agent`, `Subtask`; some with a block of text. */
export type NoteItem = {
  readonly kind: "note"
  readonly key: string
  readonly label: string
  readonly text: ReadonlyArray<Inline>
  readonly block?: string
}

export type DiffItem = {
  readonly kind: "diff"
  readonly key: string
  readonly file: string
  readonly additions: number
  readonly deletions: number
  readonly status?: string
  readonly patch?: string
}

/** The error an assistant message ended with. */
export type ErrorItem = { readonly kind: "error"; readonly key: string; readonly name: string; readonly text: string }

/** A part of a type this app does not know (a later runtime's); the export keeps it. */
export type UnsupportedItem = { readonly kind: "unsupported"; readonly key: string; readonly type: string; readonly id: string }

export type Item = TextItem | RuntimeTextItem | ReasoningItem | ToolItem | FileItem | NoteItem | DiffItem | ErrorItem | UnsupportedItem | SubagentView

export type MessageView = {
  readonly kind: "message"
  readonly key: string
  readonly role: "user" | "assistant"
  /** Heading level: 2, then 4 and 6 in subagent sessions. Headings in the message's text start one below. */
  readonly level: number
  /** After the role: the time (user); agent · provider/model · how long it took (assistant). */
  readonly meta: string
  readonly items: ReadonlyArray<Item>
}

export type SubagentView = {
  readonly kind: "subagent"
  readonly key: string
  /** Heading level: 3, then 5, then 6. */
  readonly level: number
  /** `Subagent: <title>` */
  readonly heading: string
  /** Session `id` · agent … · created … */
  readonly intro: ReadonlyArray<Inline>
  readonly blocks: ReadonlyArray<Block>
  /** End of subagent session `id` (n messages). */
  readonly end: ReadonlyArray<Inline>
}

/** The files a session changed. */
export type ChangesView = { readonly kind: "changes"; readonly key: string; readonly level: number; readonly diffs: ReadonlyArray<DiffItem> }

/** A row the export could not read. */
export type WarningView = { readonly kind: "warning"; readonly key: string; readonly text: ReadonlyArray<Inline> }

export type Block = MessageView | SubagentView | ChangesView | WarningView

export type TranscriptView = {
  readonly title: string
  readonly facts: ReadonlyArray<Fact>
  /** The summary line of the facts: `models …`, `messages …`, `tool calls …`, `errors …`, `cost …`. */
  readonly chips: ReadonlyArray<string>
  readonly todos: ReadonlyArray<TodoView>
  readonly blocks: ReadonlyArray<Block>
  /** Tool calls anywhere in the tree (each can be opened). */
  readonly tools: number
}

// ---------- the export ----------

const FORMAT: JsonExport["format"] = "opencode-session-export"
const SCHEMA_VERSION: JsonExport["schema_version"] = 1

/** The body of a JSON export, checked to be one this app reads; an Error says why not. */
export function checkExport(body: unknown): JsonExport {
  const doc = body as Partial<JsonExport> | null
  if (!doc || typeof doc !== "object" || doc.format !== FORMAT) throw new Error("the server did not answer with a session export")
  if (doc.schema_version !== SCHEMA_VERSION)
    throw new Error(`the session export has schema version ${String(doc.schema_version)}; this app reads version ${SCHEMA_VERSION}`)
  if (!doc.session || typeof doc.session !== "object" || !doc.session.info) throw new Error("the session export holds no session")
  return doc as JsonExport
}

// ---------- mapping ----------


const messageLevel = (depth: number) => Math.min(6, 2 + 2 * depth)
const subagentLevel = (depth: number) => Math.min(6, 1 + 2 * depth)

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`
const num = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0)
const str = (s: unknown) => (typeof s === "string" ? s : "")


/** The whole view of an export. */
export function transcriptView(doc: JsonExport): TranscriptView {
  const info = doc.session.info
  const { facts, chips } = sessionFacts(doc)
  const blocks = sessionBlocks(doc.session, 0)
  return {
    title: info.title || "Untitled session",
    facts,
    chips,
    todos: (doc.session.todos ?? []).map((todo, i) => {
      const done = todo.status === "completed"
      return {
        key: `todo-${i}`,
        content: str(todo.content),
        done,
        note: done ? "" : `(${str(todo.status)}${todo.priority ? `, ${todo.priority} priority` : ""})`,
      }
    }),
    blocks,
    tools: countTools(blocks),
  }
}

/** Tool calls in `blocks`, subagent sessions included. */
function countTools(blocks: ReadonlyArray<Block | Item>): number {
  let n = 0
  for (const b of blocks) {
    if (b.kind === "tool") n++
    else if (b.kind === "message") n += countTools(b.items)
    else if (b.kind === "subagent") n += countTools(b.blocks)
  }
  return n
}

/** Adjacent words as one string: the page shows text, and a value's words stay together. */
function inlines(pieces: ReadonlyArray<Inline>): Inline[] {
  const out: Inline[] = []
  for (const p of pieces) {
    const last = out.at(-1)
    if (typeof p === "string" && typeof last === "string") out[out.length - 1] = last + p
    else out.push(p)
  }
  return out
}

/** The facts of the session details (the exports' own, `@local/opencode/facts`), and the main ones for its summary line. */
export function sessionFacts(doc: JsonExport): { facts: ReadonlyArray<Fact>; chips: ReadonlyArray<string> } {
  const t = doc.totals
  const facts = exportFacts({ info: doc.session.info, runtime: doc.runtime, overlay: doc.overlay, redaction: doc.redaction, stats: t }).map(
    ([name, value]): Fact => ({ name, value: inlines(value.map((p) => (typeof p === "string" ? p : "code" in p ? p : p.data))) }),
  )
  const errors = t.failedTools + t.messageErrors
  const chips = [
    `models ${t.models.length === 0 ? "none" : t.models.map((m) => `${m.providerID}/${m.modelID}`).join(", ")}`,
    `messages ${count(t.messages)}`,
    `tool calls ${count(t.toolCalls)}`,
    `errors ${errors === 0 ? "none" : count(errors)}`,
    `cost ${money(t.cost)}`,
  ]
  return { facts, chips }
}

/** A session's blocks: the rows it could not read, its messages (subagents after their call), the other subagents, its changes. */
function sessionBlocks(session: ExportedSession, depth: number): Block[] {
  const level = messageLevel(depth)
  const children = new Map((session.children ?? []).map((c) => [c.info.id, c]))
  const shown = new Set<string>()
  const blocks: Block[] = (session.warnings ?? []).map((w, i) => warningView(w, `warning-${i}`))
  for (const message of session.messages ?? []) {
    const info = message.info
    let view: MessageView
    try {
      view =
        info.role === "user"
          ? userMessage(info, message.parts ?? [], level)
          : assistantMessage(info, message.parts ?? [], level, (id) => {
              const child = children.get(id)
              if (!child || shown.has(id)) return undefined
              shown.add(id)
              return subagentView(child, depth + 1)
            })
    } catch (error) {
      // A shape a later runtime changed: said, not dropped silently (the export holds the message as it is).
      const id = str(info?.id)
      blocks.push({ kind: "warning", key: id, text: [{ strong: "Warning:" }, " Message ", { code: id }, ` could not be shown here (${String(error)}); the JSON export holds it.`] })
      continue
    }
    blocks.push(view)
  }
  for (const child of session.children ?? []) if (!shown.has(child.info.id)) blocks.push(subagentView(child, depth + 1))
  const diffs = session.info.summary?.diffs ?? []
  if (diffs.length > 0) blocks.push({ kind: "changes", key: "changes", level, diffs: diffs.map((d, i) => diffItem(d, `changes-${i}`)) })
  return blocks
}

function subagentView(session: ExportedSession, depth: number): SubagentView {
  const info = session.info
  return {
    kind: "subagent",
    key: `subagent-${info.id}`,
    level: subagentLevel(depth),
    heading: `Subagent: ${oneLine(info.title || "Untitled session", Infinity)}`,
    intro: ["Session ", { code: info.id }, `${info.agent ? ` · agent ${info.agent}` : ""} · created ${isoLocal(info.time.created)}`],
    blocks: sessionBlocks(session, depth),
    end: ["End of subagent session ", { code: info.id }, ` (${plural(num(session.stats?.messages ?? session.messages?.length), "message")}).`],
  }
}

function userMessage(info: UserMessage, parts: ReadonlyArray<ExportedPart>, level: number): MessageView {
  const items: Item[] = []
  for (const p of parts) {
    const item = safely(p, () => {
      if (!isKnownPart(p)) return unsupported(p)
      switch (p.type) {
        case "text":
          return textItem(p)
        case "file":
          return fileItem(p)
        case "agent":
          return { kind: "note", key: p.id, label: "Agent", text: [`@${p.name}`] }
        case "subtask":
          return { kind: "note", key: p.id, label: "Subtask", text: [`for @${p.agent}: ${oneLine(p.description, Infinity)}`], block: p.prompt }
        default:
          return undefined // the rest belongs to answers
      }
    })
    if (item) items.push(item)
  }
  for (const [i, diff] of (info.summary?.diffs ?? []).entries()) items.push(diffItem(diff, `${info.id}-diff-${i}`))
  return { kind: "message", key: info.id, role: "user", level, meta: shortLocal(info.time.created), items }
}

function assistantMessage(
  info: AssistantMessage,
  parts: ReadonlyArray<ExportedPart>,
  level: number,
  subagent: (sessionID: string) => SubagentView | undefined,
): MessageView {
  const items: Item[] = []
  for (const p of parts) {
    const item = safely(p, () => (isKnownPart(p) ? answerItem(p) : unsupported(p)))
    if (item) items.push(item)
    const childID = isKnownPart(p) ? childSessionID(p) : undefined
    const child = childID ? subagent(childID) : undefined
    if (child) items.push(child)
  }
  if (info.error) items.push({ kind: "error", key: `${info.id}-error`, name: str(info.error.name) || "Error", text: errorText(info.error) })
  const completed = info.time.completed
  const meta = [info.agent || info.mode || "agent", `${info.providerID}/${info.modelID}`, completed !== undefined ? duration(completed - info.time.created) : "unfinished"]
  return { kind: "message", key: info.id, role: "assistant", level, meta: meta.join(" · "), items }
}

/** An item of an answer; undefined for parts that show nothing (step markers, snapshots, empty text). */
function answerItem(p: Part): Item | undefined {
  switch (p.type) {
    case "text":
      return textItem(p)
    case "reasoning":
      return p.text.trim() === "" ? undefined : { kind: "reasoning", key: p.id, markdown: p.text }
    case "tool":
      return toolItem(p)
    case "file":
      return fileItem(p)
    case "patch":
      return {
        kind: "note",
        key: p.id,
        label: "Patch",
        text: [{ code: p.hash }, ": ", ...(p.files.length === 0 ? ["no files"] : p.files.flatMap((f, i) => [...(i > 0 ? [", "] : []), { code: f }]))],
      }
    case "retry":
      return { kind: "note", key: p.id, label: "Retry", text: [`attempt ${count(p.attempt)} after an error:`], block: errorText(p.error) }
    case "compaction":
      return { kind: "note", key: p.id, label: "Compaction", text: [compactionNote(p.auto)] }
    case "agent":
      return { kind: "note", key: p.id, label: "Agent", text: [`@${p.name}`] }
    case "subtask":
      return { kind: "note", key: p.id, label: "Subtask", text: [`for @${p.agent}: ${oneLine(p.description, Infinity)}`] }
    case "step-start":
    case "step-finish":
    case "snapshot":
      return undefined
  }
}

function textItem(p: Extract<Part, { type: "text" }>): Item | undefined {
  if (p.ignored) return undefined
  if (continuesCompaction(p)) return { kind: "note", key: p.id, label: "Continued", text: [`${CONTINUE_NOTE} “${oneLine(p.text, 500)}”`] }
  if (p.synthetic) return { kind: "runtime-text", key: p.id, text: shown(p.text) }
  return p.text.trim() === "" ? undefined : { kind: "text", key: p.id, markdown: p.text }
}

/** A part that could not be mapped (a shape a later runtime changed) is shown as unsupported, not dropped silently. */
function safely(p: ExportedPart, map: () => Item | undefined): Item | undefined {
  try {
    return map()
  } catch {
    return unsupported(p)
  }
}

const unsupported = (p: ExportedPart): UnsupportedItem => ({ kind: "unsupported", key: str(p.id), type: str(p.type), id: str(p.id) })

/** `text` on one line, at most `max` characters. */
export function oneLine(text: string, max = 160): string {
  const flat = /\s\s|[\t\r\n\f\v]/.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

export function toolItem(p: ToolPart): ToolItem {
  const state = p.state
  const ended = state.status === "completed" || state.status === "error" ? duration(state.time.end - state.time.start) : undefined
  const diff = "metadata" in state ? state.metadata?.diff : undefined
  return {
    kind: "tool",
    key: p.id,
    tool: p.tool,
    title: oneLine(toolTitle(p)),
    status: state.status,
    failed: state.status === "error",
    ...(ended !== undefined ? { duration: ended } : {}),
    ...(state.status === "error" ? { error: str(state.error) } : {}),
    input: JSON.stringify(state.input ?? {}, null, 2),
    ...(state.status === "completed" ? { output: shown(str(state.output)) } : {}),
    ...(typeof diff === "string" && diff.trim() !== "" ? { diff } : {}),
  }
}

/** The session a `task` tool call started, as the runtime records it. */
function childSessionID(p: Part): string | undefined {
  if (p.type !== "tool" || p.tool !== "task") return undefined
  const metadata = "metadata" in p.state ? p.state.metadata : undefined
  const id = metadata?.sessionId ?? metadata?.sessionID
  return typeof id === "string" ? id : undefined
}

/** Output as a terminal showed it, cut as the exports cut it (the JSON export has all of it). */
export function shown(text: string): Shown {
  const { shown: out, cut: left } = cut(cleanTerminal(text))
  return left ? { text: out, cut: left } : { text: out }
}

type Payload = { readonly size?: unknown; readonly sha256?: unknown }

function fileItem(p: FilePart & { readonly payload?: Payload }): FileItem {
  const name = fileName(p)
  const base = { kind: "file", key: p.id, name, mime: str(p.mime) } as const
  if (p.payload && typeof p.payload.size === "number")
    return { ...base, size: bytes(p.payload.size), ...(typeof p.payload.sha256 === "string" ? { sha256: p.payload.sha256 } : {}) }
  const url = str(p.url)
  return url === "" || url.startsWith("[OMITTED") ? base : { ...base, url: oneLine(url, 300) }
}

function diffItem(d: FileDiff, key: string): DiffItem {
  return {
    kind: "diff",
    key,
    file: d.file ?? "?",
    additions: num(d.additions),
    deletions: num(d.deletions),
    ...(d.status ? { status: d.status } : {}),
    ...(d.patch && d.patch.trim() !== "" ? { patch: d.patch } : {}),
  }
}

/** An error's message, or all it holds when it has none. */
function errorText(error: { readonly name?: string; readonly data?: unknown } | undefined): string {
  const data = error?.data as { message?: unknown } | undefined
  if (data && typeof data.message === "string" && data.message !== "") return data.message
  return JSON.stringify(data ?? error ?? {}, null, 2)
}

function warningView(w: TreeWarning, key: string): WarningView {
  const what: Inline[] =
    w.kind === "part"
      ? ["Part ", { code: w.id }, ...(w.messageID ? [" of message ", { code: w.messageID }] : [])]
      : [w.kind === "message" ? "Message " : "Session ", { code: w.id }]
  return { kind: "warning", key, text: [{ strong: "Warning:" }, " ", ...what, ` could not be read: ${w.problem}. It is left out here; the JSON export lists it under `, { code: "warnings" }, "."] }
}
