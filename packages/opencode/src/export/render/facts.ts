/**
 * What both readable exports (Markdown and HTML) say about a session and its
 * parts, in words (pure); each renderer marks the pieces up its own way (code
 * spans, escaped text), so the two always say the same. The web app reads it
 * too (`@local/opencode/facts`), for its session details.
 */
import type { FilePart, ToolPart } from "@opencode-ai/sdk/v2"
import { count, duration, isoLocal, money, plural } from "../document/format.ts"
import { cleanTerminal } from "./terminal.ts"
import type { Redaction, SessionStats, Versioned } from "../document/tree.ts"

/**
 * A piece of a fact's value: the export's own words, a value taken from the
 * session (`data`: each format escapes it its own way), or code.
 */
export type Piece = string | { readonly data: string } | { readonly code: string }

export type Fact = readonly [label: string, value: ReadonlyArray<Piece>]

/** What the facts are read from: the export's own document, or the JSON export in the web app. */
export type FactsInput = {
  readonly info: {
    readonly id: string
    readonly parentID?: string
    readonly directory: string
    readonly version?: string
    readonly time: { readonly created: number; readonly updated: number }
    readonly share?: { readonly url: string }
  }
  readonly runtime: Versioned
  readonly overlay: Versioned
  readonly redaction: Redaction
  readonly stats: SessionStats & { readonly sessions: number }
}

/** Tool output longer than this is cut (the JSON export keeps all of it). */
export const OUTPUT_MAX_CHARS = 10_000
export const OUTPUT_MAX_LINES = 200

const joined = <T>(items: ReadonlyArray<T>, piece: (item: T) => ReadonlyArray<Piece>): Piece[] =>
  items.flatMap((item, i) => [...(i > 0 ? [", "] : []), ...piece(item)])

/** The header's facts, in order. */
export function sessionFacts({ info, runtime, overlay, redaction, stats }: FactsInput): ReadonlyArray<Fact> {
  const facts: Fact[] = []
  const item = (label: string, ...value: Piece[]) => facts.push([label, value])
  item("Session", { code: info.id })
  if (info.parentID) item("Subagent session of", { code: info.parentID })
  item("Created", isoLocal(info.time.created))
  item("Updated", isoLocal(info.time.updated))
  item("Directory", { code: info.directory })
  const written = info.version && info.version !== runtime.version ? ["; this session was written by ", { data: info.version }] : []
  item("Runtime", { data: runtime.name }, " ", { data: runtime.version }, ...written)
  item("Overlay", { data: overlay.name }, " ", { data: overlay.version })
  item("Agents", ...(stats.agents.length === 0 ? ["none"] : joined(stats.agents, (a) => [{ data: a }])))
  item(
    "Models",
    ...(stats.models.length === 0
      ? ["none"]
      : joined(stats.models, (x) => [{ code: `${x.providerID}/${x.modelID}` }, ...(x.name ? [" (", { data: x.name }, ")"] : [])])),
  )
  const subagents = stats.sessions - 1
  item(
    "Messages",
    `${count(stats.messages)} (${count(stats.userMessages)} user, ${count(stats.assistantMessages)} assistant)` +
      (subagents > 0 ? `, in this session and ${plural(subagents, "subagent session")}` : ""),
  )
  item("Tool calls", `${count(stats.toolCalls)}${stats.failedTools > 0 ? ` (${count(stats.failedTools)} failed)` : ""}`)
  const errors = stats.failedTools + stats.messageErrors
  item("Errors", errors === 0 ? "none" : `${count(errors)} (${plural(stats.failedTools, "failed tool call")}, ${plural(stats.messageErrors, "assistant error")})`)
  const t = stats.tokens
  item("Tokens", `${count(t.input)} input, ${count(t.output)} output, ${count(t.reasoning)} reasoning, ${count(t.cacheRead)} cache read, ${count(t.cacheWrite)} cache write`)
  item("Cost", money(stats.cost))
  if (info.share?.url) item("Published at", { code: info.share.url })
  if (redaction.secrets)
    item(
      "Redaction",
      "secrets replaced by ",
      { code: "[REDACTED:kind]" },
      " (",
      { code: redaction.rules ?? "secretlint" },
      ")",
      ...(redaction.home ? [", home directory shown as ", { code: "~" }] : []),
    )
  else item("Redaction", "off (exported with ", { code: "--no-redact" }, ")")
  return facts
}

/** A fact's value in a format: how that format writes code, session values and (where it must) its own words. */
export const markup = (
  value: ReadonlyArray<Piece>,
  code: (text: string) => string,
  data: (text: string) => string,
  words: (text: string) => string = (text) => text,
): string => value.map((p) => (typeof p === "string" ? words(p) : "code" in p ? code(p.code) : data(p.data))).join("")

/** `text` on one line, at most `max` characters. */
export function oneLine(text: string, max = 160): string {
  const flat = /\s\s|[\t\r\n\f\v]/.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** At most OUTPUT_MAX_LINES lines and OUTPUT_MAX_CHARS characters of `text`, and how much was left out. */
export function cut(text: string): { readonly shown: string; readonly cut?: { readonly chars: number; readonly lines: number } } {
  let shown = text.length > OUTPUT_MAX_CHARS ? text.slice(0, OUTPUT_MAX_CHARS) : text
  let newlines = 0
  for (let i = shown.indexOf("\n"); i !== -1; i = shown.indexOf("\n", i + 1)) {
    if (++newlines === OUTPUT_MAX_LINES) {
      shown = shown.slice(0, i)
      break
    }
  }
  if (shown.length === text.length) return { shown: text }
  const rest = text.slice(shown.length)
  return { shown, cut: { chars: rest.length, lines: rest.split("\n").length - (rest.startsWith("\n") ? 1 : 0) } }
}

/** Output as a terminal showed it (`terminal.ts`), cut, and a note of what was cut. */
export function cutOutput(raw: string): { readonly shown: string; readonly note?: string } {
  const { shown, cut: left } = cut(cleanTerminal(raw))
  if (!left) return { shown }
  return { shown, note: `… ${plural(left.chars, "more character")} (${plural(left.lines, "more line")}) cut here; the JSON export has all of it.` }
}

/** A tool call's state after its title: `completed` and how long it took, `failed`, `running (never finished)`, … */
export function toolState(state: ToolPart["state"]): { readonly label: string; readonly failed: boolean; readonly took?: string } {
  switch (state.status) {
    case "completed":
      return { label: "completed", failed: false, took: duration(state.time.end - state.time.start) }
    case "error":
      return { label: "failed", failed: true, took: duration(state.time.end - state.time.start) }
    case "running":
      return { label: "running (never finished)", failed: false }
    case "pending":
      return { label: "pending (never ran)", failed: false }
  }
}

/** Where the runtime compacted the conversation (automatically, or on `/compact`). */
export const compactionNote = (auto: boolean): string =>
  `(${auto ? "automatic" : "requested"}): the conversation above was summarized for the model, which goes on from the summary below.`

/** A subagent session's own counts, said where it ends: messages, then tool calls and errors when there were any. */
export function subagentCounts(stats: SessionStats): string {
  const bits = [plural(stats.messages, "message")]
  if (stats.toolCalls > 0) bits.push(plural(stats.toolCalls, "tool call") + (stats.failedTools > 0 ? ` (${count(stats.failedTools)} failed)` : ""))
  if (stats.messageErrors > 0) bits.push(plural(stats.messageErrors, "assistant error"))
  return bits.join(", ")
}

/** The message the runtime sends itself after an automatic compaction, so that the model goes on. */
export const continuesCompaction = (p: { readonly synthetic?: boolean; readonly metadata?: { readonly [key: string]: unknown } }): boolean =>
  p.synthetic === true && p.metadata?.compaction_continue === true

/** Said where the runtime asked the model to go on after a compaction (its words follow). */
export const CONTINUE_NOTE = "(automatic): after the compaction, the runtime asked the model to go on:"

/** The heading word of an assistant message: the summary a compaction made is not an ordinary answer. */
export const assistantRole = (info: { readonly summary?: boolean }): string => (info.summary ? "Summary" : "Assistant")

/** Said where a subagent session is left out (`--no-children`, or not in the database). */
export const childLeftOut = (id: string, code: (text: string) => string): string =>
  `Subagent session ${code(id)} is not in this export (left out with --no-children, or not found).`

/** The readable text of an error the runtime stored. */
export function errorText(error: { readonly name?: string; readonly data?: unknown } | undefined): string {
  const data = error?.data as { message?: unknown } | undefined
  if (data && typeof data.message === "string" && data.message !== "") return data.message
  return JSON.stringify(data ?? error ?? {}, null, 2)
}

/** A file part's name: its file name, its source path, or "unnamed". */
export const fileName = (p: FilePart): string => p.filename || (p.source && "path" in p.source ? p.source.path : "") || "unnamed"
