/**
 * What a readable export (Markdown, HTML) reads of a part (pure). Unless
 * asked for (tool details, reasoning, diffs), it shows a tool call as its
 * name, title, state and error, so the output, most of the input and the
 * metadata are left out before the part is sanitized: what is not shown is
 * not screened for secrets either, and tool output is most of a session's
 * bytes. The JSON export keeps every part whole.
 */
import type { Part, ToolPart } from "@opencode-ai/sdk/v2"
import { TOOL_TITLE_ARGUMENTS } from "../../model/parts.ts"
import { continuesCompaction } from "./facts.ts"
import type { ReadableOptions } from "../document/choices.ts"

/** The part as the readable renderers read it with `options`; the same object when they read all of it. */
export function visiblePart(options: ReadableOptions): (part: Part) => Part {
  return (part) => {
    switch (part.type) {
      case "tool":
        return options.toolDetails ? part : toolSummary(part, options)
      case "reasoning":
        return options.thinking || part.text === "" ? part : { ...part, text: "" }
      case "text":
        return part.synthetic && !options.toolDetails && !continuesCompaction(part) && part.text !== "" ? { ...part, text: "" } : part
      default:
        return part
    }
  }
}

/** A tool call without its output, its input but the title's arguments, and its metadata but the subagent and the diff. */
function toolSummary(part: ToolPart, options: ReadableOptions): ToolPart {
  const state = part.state
  const input: Record<string, unknown> = {}
  for (const key of TOOL_TITLE_ARGUMENTS) if (typeof state.input?.[key] === "string") input[key] = state.input[key]
  const metadata: Record<string, unknown> = {}
  const from = "metadata" in state ? state.metadata : undefined
  if (from?.sessionId !== undefined) metadata.sessionId = from.sessionId
  if (from?.sessionID !== undefined) metadata.sessionID = from.sessionID
  if (options.diffs && from?.diff !== undefined) metadata.diff = from.diff
  switch (state.status) {
    case "pending":
      return { ...part, state: { status: "pending", input, raw: "" } }
    case "running":
      return { ...part, state: { status: "running", input, ...(state.title !== undefined ? { title: state.title } : {}), metadata, time: state.time } }
    case "completed":
      return { ...part, state: { status: "completed", input, output: "", title: state.title, metadata, time: state.time } }
    case "error":
      return { ...part, state: { status: "error", input, error: state.error, metadata, time: state.time } }
  }
}
