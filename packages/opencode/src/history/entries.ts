/**
 * What the search index holds of a message part (pure): the words a person
 * may look for, and who said them. A user's prompt, an answer, the model's
 * reasoning, a tool call (its name, its input, its output or error), a
 * subagent's task. Parts without words of their own (step markers,
 * snapshots, patches, files as data) are not indexed.
 */
import type { Message, Part } from "@opencode-ai/sdk/v2"

/** Who said it: `--role` filters on this. */
export type Role = "user" | "assistant" | "tool"

export const ROLES: ReadonlyArray<Role> = ["user", "assistant", "tool"]

export type Entry = {
  readonly role: Role
  /** The tool's name, for tool calls. */
  readonly tool?: string
  /** A word on what kind of text this is, shown with a hit: prompt, answer, reasoning, call, task. */
  readonly kind: string
  readonly text: string
}

/** Input values as lines of `key: value` (strings as written, the rest as JSON): a command reads as the command. */
function inputText(input: Record<string, unknown> | undefined): string {
  if (!input) return ""
  return Object.entries(input)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n")
}

export function entryOf(message: Pick<Message, "role">, part: Part): Entry | undefined {
  switch (part.type) {
    case "text":
      if (part.text.trim() === "") return undefined
      return message.role === "user"
        ? { role: "user", kind: part.synthetic ? "added text" : "prompt", text: part.text }
        : { role: "assistant", kind: "answer", text: part.text }
    case "reasoning":
      return part.text.trim() === "" ? undefined : { role: "assistant", kind: "reasoning", text: part.text }
    case "tool": {
      const state = part.state
      const result = state.status === "completed" ? state.output : state.status === "error" ? state.error : ""
      const title = "title" in state && typeof state.title === "string" ? state.title : ""
      const text = [title, inputText(state.input), result].filter((t) => t.trim() !== "").join("\n")
      return text === "" ? undefined : { role: "tool", tool: part.tool, kind: "call", text }
    }
    case "subtask":
      return { role: "user", kind: "task", text: [part.description, part.prompt].filter(Boolean).join("\n") }
    default:
      return undefined
  }
}
