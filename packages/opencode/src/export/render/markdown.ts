/**
 * The Markdown renderer (pure): a session tree in, the document out as a
 * stream of chunks plus its header. Same tree and options, same bytes.
 *
 * Layout: `# title`, a metadata list, then one `## User …` or
 * `## Assistant · agent · provider/model · duration` section per message.
 * Subagent sessions follow the tool call that started them, one heading
 * level pair deeper. Message text is embedded as Markdown when that is safe
 * (see embed.ts) and fenced otherwise; everything else the runtime stored is
 * fenced or escaped, so no content can break the document.
 */
import type { AssistantMessage, FilePart, Part, ToolPart, UserMessage } from "@opencode-ai/sdk/v2"
import { toolTitle } from "../../model/parts.ts"
import { embedMarkdown, escapeInline, quoted } from "./embed.ts"
import { fenced, inlineCode } from "./fence.ts"
import { assistantRole, childLeftOut, compactionNote, CONTINUE_NOTE, continuesCompaction, subagentCounts, cutOutput, errorText, fileName, markup, oneLine, sessionFacts, toolState } from "./facts.ts"
import { bytes, count, duration, isoLocal, plural, shortLocal } from "../document/format.ts"
import { cleanTerminal } from "./terminal.ts"
import { factsOf, type ExportDocument, type MessageNode, type SessionTree, type TreeWarning } from "../document/tree.ts"
import { walkSession, type SessionView } from "./walk.ts"
import type { ReadableOptions } from "../document/choices.ts"

const messageLevel = (depth: number) => Math.min(6, 2 + 2 * depth)
const subagentLevel = (depth: number) => Math.min(6, 1 + 2 * depth)
const heading = (level: number, text: string) => `${"#".repeat(level)} ${text}\n\n`

export type MarkdownRender = {
  /** Everything after the metadata block, as a stream. Read it first. */
  readonly body: AsyncGenerator<string>
  /** The title and metadata block, which go first; complete once `body` has been read (it holds the totals). */
  readonly header: () => string
}

/**
 * The document in two pieces: the body streams, and the header (which
 * counts what the body showed) comes after it but goes before it in the
 * file. The session is read once; the writer puts the pieces in order.
 */
export function renderMarkdown(doc: ExportDocument, options: ReadableOptions): MarkdownRender {
  return { body: walkSession(doc.tree, 0, markdownView(options)), header: () => header(doc) }
}

/** The whole document in order, holding the body in memory: for small sessions and tests. */
export async function markdownDocument(doc: ExportDocument, options: ReadableOptions): Promise<string> {
  const { body, header } = renderMarkdown(doc, options)
  const chunks: string[] = []
  for await (const chunk of body) chunks.push(chunk)
  return header() + chunks.join("")
}

function header(doc: ExportDocument): string {
  const { tree } = doc
  const info = tree.info
  const lines: string[] = [heading(1, escapeInline(info.title || "Untitled session")).trimEnd(), ""]
  for (const [label, value] of sessionFacts(factsOf(doc))) lines.push(`- ${label}: ${markup(value, inlineCode, escapeInline)}`)
  lines.push("")
  if (tree.todos.length > 0) {
    lines.push("Todos:", "")
    for (const todo of tree.todos) {
      const done = todo.status === "completed"
      const note = done ? "" : ` (${escapeInline(todo.status)}${todo.priority ? `, ${escapeInline(todo.priority)} priority` : ""})`
      lines.push(`- [${done ? "x" : " "}] ${escapeInline(todo.content)}${note}`)
    }
    lines.push("")
  }
  let out = `${lines.join("\n")}\n`
  for (const w of tree.warnings) out += warningBlock(w)
  return out
}

function warningBlock(w: TreeWarning): string {
  const what =
    w.kind === "part"
      ? `Part ${inlineCode(w.id)}${w.messageID ? ` of message ${inlineCode(w.messageID)}` : ""}`
      : w.kind === "message"
        ? `Message ${inlineCode(w.id)}`
        : `Session ${inlineCode(w.id)}`
  return quoted(`**Warning:** ${what} could not be read: ${escapeInline(w.problem)}. It is left out here; the JSON export lists it under \`warnings\`.`) + "\n"
}

/** How each piece of a session looks in Markdown; `walkSession` puts them in order. */
function markdownView(options: ReadableOptions): SessionView {
  return {
    warning: warningBlock,
    user: (node, info, depth) => user(node, info, messageLevel(depth), options),
    assistant: (info, depth) => assistantHeading(info, messageLevel(depth)),
    part: (p, depth) => part(p, messageLevel(depth), options),
    unsupported: (p) => `**Unsupported part** ${inlineCode(p.type)} (${inlineCode(p.id)}): not shown here; the JSON export keeps it.\n\n`,
    childMissing: (id) => `*${childLeftOut(id, inlineCode)}*\n\n`,
    endMessage: (info) => (info.role === "assistant" && info.error ? messageError(info.error) : ""),
    startSubagent: (tree, depth) => {
      const info = tree.info
      let out = heading(subagentLevel(depth), `Subagent: ${escapeInline(info.title || "Untitled session")}`)
      out += `Session ${inlineCode(info.id)}${info.agent ? ` · agent ${escapeInline(info.agent)}` : ""} · created ${isoLocal(info.time.created)}\n\n`
      for (const w of tree.warnings) out += warningBlock(w)
      return out
    },
    endSubagent: (tree) => `*End of subagent session ${inlineCode(tree.info.id)} (${subagentCounts(tree.stats())}).*\n\n`,
    endSession: (tree, depth) => (options.diffs ? sessionDiffs(tree, messageLevel(depth)) : ""),
  }
}

function user(node: MessageNode, info: UserMessage, level: number, options: ReadableOptions): string {
  let out = heading(level, `User · ${shortLocal(info.time.created)}`)
  for (const { kind, value } of node.parts) {
    if (kind !== "part") continue
    switch (value.type) {
      case "text":
        if (value.ignored) break
        if (continuesCompaction(value)) {
          out += `**Continued** ${CONTINUE_NOTE}\n\n${quoted(escapeInline(oneLine(value.text, 500)))}\n\n`
          break
        }
        if (value.synthetic) {
          if (options.toolDetails) out += `*Added by the runtime:*\n\n${truncatedFence(value.text, "text")}`
          break
        }
        out += embedded(value.text, level)
        break
      case "file":
        out += fileLine(value)
        break
      case "agent":
        out += `**Agent** @${escapeInline(value.name)}\n\n`
        break
      case "compaction":
        out += `**Compaction** ${compactionNote(value.auto)}\n\n`
        break
      case "subtask":
        out += `**Subtask** for @${escapeInline(value.agent)}: ${escapeInline(value.description)}\n\n`
        if (options.toolDetails) out += fenced(value.prompt, "text") + "\n"
        break
      default:
        break
    }
  }
  if (options.diffs) {
    for (const diff of info.summary?.diffs ?? []) out += fileDiff(diff)
  }
  return out
}

function assistantHeading(info: AssistantMessage, level: number): string {
  const parts = [assistantRole(info), escapeInline(info.agent || info.mode || "agent"), escapeInline(`${info.providerID}/${info.modelID}`)]
  parts.push(info.time.completed !== undefined ? duration(info.time.completed - info.time.created) : "unfinished")
  return heading(level, parts.join(" · "))
}

function embedded(text: string, level: number): string {
  if (text.trim() === "") return ""
  return `${embedMarkdown(text, level + 1).text}\n`
}

function part(p: Part, level: number, options: ReadableOptions): string {
  switch (p.type) {
    case "text":
      if (p.ignored) return ""
      if (p.synthetic) return options.toolDetails ? `*Added by the runtime:*\n\n${truncatedFence(p.text, "text")}` : ""
      return embedded(p.text, level)
    case "reasoning":
      if (!options.thinking || p.text.trim() === "") return ""
      return quoted(`**Thinking**\n\n${embedMarkdown(p.text, level + 1).text}`) + "\n"
    case "tool":
      return tool(p, options)
    case "file":
      return fileLine(p)
    case "patch":
      if (!options.diffs) return ""
      return `**Patch** ${inlineCode(p.hash)}: ${p.files.length === 0 ? "no files" : p.files.map((f) => inlineCode(f)).join(", ")}\n\n`
    case "retry":
      return `**Retry** attempt ${count(p.attempt)} after an error:\n\n${fenced(errorText(p.error), "text")}\n`
    case "compaction":
      return `**Compaction** ${compactionNote(p.auto)}\n\n`
    case "agent":
      return `**Agent** @${escapeInline(p.name)}\n\n`
    case "subtask":
      return `**Subtask** for @${escapeInline(p.agent)}: ${escapeInline(p.description)}\n\n`
    case "step-start":
    case "step-finish":
    case "snapshot":
      return ""
  }
}

function tool(p: ToolPart, options: ReadableOptions): string {
  const state = p.state
  const bits = [`**Tool** ${inlineCode(p.tool)}`]
  const title = oneLine(toolTitle(p))
  if (title !== "") bits.push(escapeInline(title))
  const status = toolState(state)
  bits.push(status.failed ? `**${status.label}**` : status.label, ...(status.took ? [status.took] : []))
  let out = `${bits.join(" · ")}\n\n`
  if (state.status === "error") out += `**Error:**\n\n${fenced(cleanTerminal(state.error), "text")}\n`
  if (options.toolDetails) {
    out += `*Input:*\n\n${fenced(JSON.stringify(state.input ?? {}, null, 2), "json")}\n`
    if (state.status === "completed") out += `*Output:*\n\n${truncatedFence(state.output, "text")}`
  }
  if (options.diffs) {
    const diff = "metadata" in state ? state.metadata?.diff : undefined
    if (typeof diff === "string" && diff.trim() !== "") out += `*Diff:*\n\n${fenced(diff, "diff")}\n`
  }
  return out
}

/** A fenced block of at most OUTPUT_MAX_LINES lines and OUTPUT_MAX_CHARS characters, and what was cut. */
function truncatedFence(text: string, info: string): string {
  const { shown, note } = cutOutput(text)
  return note === undefined ? `${fenced(shown, info)}\n` : `${fenced(shown, info)}\n*${note}*\n\n`
}

function fileLine(p: FilePart & { readonly payload?: { size?: number; sha256?: string } }): string {
  const bits = [`**File** ${inlineCode(fileName(p))}`, escapeInline(p.mime)]
  if (p.payload && typeof p.payload.size === "number") {
    bits.push(bytes(p.payload.size))
    if (p.payload.sha256) bits.push(`sha256 ${inlineCode(p.payload.sha256)}`)
  } else if (!p.url.startsWith("[OMITTED")) {
    bits.push(`at ${inlineCode(oneLine(p.url, 300))}`)
  }
  return `${bits.join(" · ")}\n\n`
}

function messageError(error: NonNullable<AssistantMessage["error"]>): string {
  return `**Error** (${inlineCode(error.name)}):\n\n${fenced(errorText(error), "text")}\n`
}

function fileDiff(diff: { readonly file?: string; readonly patch?: string; readonly additions: number; readonly deletions: number; readonly status?: string }): string {
  let out = `**Changed** ${inlineCode(diff.file ?? "?")} · +${count(diff.additions)} −${count(diff.deletions)}${diff.status ? ` · ${escapeInline(diff.status)}` : ""}\n\n`
  if (diff.patch && diff.patch.trim() !== "") out += `${fenced(diff.patch, "diff")}\n`
  return out
}

function sessionDiffs(tree: SessionTree, level: number): string {
  const diffs = tree.info.summary?.diffs ?? []
  if (diffs.length === 0) return ""
  let out = heading(level, "Changes")
  for (const diff of diffs) out += fileDiff(diff)
  return out
}
