/**
 * The runtime's message parts as the overlay sees them, whichever source they
 * come from (the database or the HTTP API): a part of a type the SDK's `Part`
 * union names, or an `UnknownPart` a newer runtime added, which an export
 * shows as "unsupported" instead of failing on. Pure: the web app imports it
 * too (`@local/opencode/parts`).
 */
import type { Part, ToolPart } from "@opencode-ai/sdk/v2"

/** A part whose `type` this overlay does not know (a newer runtime's). */
export type UnknownPart = {
  readonly id: string
  readonly sessionID: string
  readonly messageID: string
  readonly type: string
  readonly [key: string]: unknown
}

/** Every member of the SDK's `Part` union (1.18.33); the compiler fails here when the SDK adds or drops one. */
const KNOWN: { readonly [K in Part["type"]]: true } = {
  text: true,
  subtask: true,
  reasoning: true,
  file: true,
  tool: true,
  "step-start": true,
  "step-finish": true,
  snapshot: true,
  patch: true,
  agent: true,
  retry: true,
  compaction: true,
}

export const KNOWN_PART_TYPES: ReadonlySet<string> = new Set(Object.keys(KNOWN))

export const isKnownPart = <P extends { readonly type: string }>(part: P | Part): part is Part => KNOWN_PART_TYPES.has(part.type)

/** The input keys a tool call's title may come from, in order. */
export const TOOL_TITLE_ARGUMENTS: ReadonlyArray<string> = ["description", "command", "filePath", "path", "pattern", "url", "query", "prompt", "name"]

/** What a tool call did, in a few words: its title, or its main argument (the export and the web app say the same). */
export function toolTitle(p: ToolPart): string {
  const state = p.state
  const title = "title" in state && typeof state.title === "string" ? state.title.trim() : ""
  if (title !== "") return title
  for (const key of TOOL_TITLE_ARGUMENTS) {
    const value = state.input?.[key]
    if (typeof value === "string" && value.trim() !== "") return value.trim()
  }
  return ""
}
