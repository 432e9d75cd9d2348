/** Small session trees held in memory, for the renderer and sanitizer tests. */
import type { AssistantMessage, Part, Session, Todo, UserMessage } from "@opencode-ai/sdk/v2"
import type { UnknownPart } from "../../src/model/parts.ts"
import {
  counting,
  entriesOf,
  type ExportDocument,
  type MessageNode,
  type PartNode,
  type SessionTree,
  type TreeWarning,
} from "../../src/export/tree.ts"

export const T0 = Date.UTC(2025, 2, 4, 10, 0, 0)

export function session(id: string, extra: Partial<Session> = {}): Session {
  return {
    id,
    slug: "brave-otter",
    projectID: "global",
    directory: "/home/ada/project",
    title: "Fix the parser",
    version: "1.18.33",
    time: { created: T0, updated: T0 + 60_000 },
    ...extra,
  }
}

let counter = 0
const nextID = (prefix: string) => `${prefix}_${String(++counter).padStart(6, "0")}`
/** Ids start over, so that a tree built twice is the same tree. */
export const resetIds = () => {
  counter = 0
}

export function user(sessionID: string, parts: ReadonlyArray<Omit<Part, "id" | "sessionID" | "messageID"> | Record<string, unknown>>, at = T0): MessageNode {
  const info: UserMessage = {
    id: nextID("msg"),
    sessionID,
    role: "user",
    time: { created: at },
    agent: "build",
    model: { providerID: "mock", modelID: "mock-model" },
  }
  return node(info, parts)
}

export function assistant(
  sessionID: string,
  parts: ReadonlyArray<Omit<Part, "id" | "sessionID" | "messageID"> | Record<string, unknown>>,
  extra: Partial<AssistantMessage> = {},
  at = T0 + 1000,
): MessageNode {
  const info: AssistantMessage = {
    id: nextID("msg"),
    sessionID,
    role: "assistant",
    time: { created: at, completed: at + 1500 },
    parentID: "msg_parent",
    modelID: "mock-model",
    providerID: "mock",
    mode: "build",
    agent: "build",
    path: { cwd: "/home/ada/project", root: "/" },
    cost: 0.0012,
    tokens: { input: 120, output: 30, reasoning: 5, cache: { read: 10, write: 0 } },
    ...extra,
  }
  return node(info, parts)
}

const KNOWN = new Set(["text", "subtask", "reasoning", "file", "tool", "step-start", "step-finish", "snapshot", "patch", "agent", "retry", "compaction"])

function node(info: UserMessage | AssistantMessage, parts: ReadonlyArray<Record<string, unknown>>): MessageNode {
  const nodes: PartNode[] = parts.map((p) => {
    const value = { ...p, id: nextID("prt"), sessionID: info.sessionID, messageID: info.id }
    return KNOWN.has(String(p.type))
      ? { kind: "part", value: value as unknown as Part, json: JSON.stringify(value) }
      : { kind: "unsupported", value: value as unknown as UnknownPart, json: JSON.stringify(value) }
  })
  return { info, json: JSON.stringify(info), parts: nodes }
}

export const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: "text", text: t, ...extra })

export function tool(name: string, state: Record<string, unknown>) {
  return { type: "tool", tool: name, callID: nextID("call"), state }
}

export const completed = (input: Record<string, unknown>, output: string, title = "", metadata: Record<string, unknown> = {}) => ({
  status: "completed",
  input,
  output,
  title,
  metadata,
  time: { start: T0 + 100, end: T0 + 350 },
})

export const failed = (input: Record<string, unknown>, error: string) => ({
  status: "error",
  input,
  error,
  time: { start: T0 + 100, end: T0 + 120 },
})

export function tree(
  info: Session,
  messages: ReadonlyArray<MessageNode>,
  options: { children?: ReadonlyArray<SessionTree>; todos?: ReadonlyArray<Todo>; warnings?: ReadonlyArray<TreeWarning>; streamed?: ReadonlyArray<TreeWarning> } = {},
): SessionTree {
  const { entries, stats } = counting(entriesOf(messages, options.streamed ?? []), (p, m) => (p === "mock" && m === "mock-model" ? "Mock Model" : undefined))
  return {
    info,
    json: JSON.stringify(info),
    todos: options.todos ?? [],
    warnings: options.warnings ?? [],
    entries,
    stats,
    children: options.children ?? [],
  }
}

export function doc(t: SessionTree): ExportDocument {
  return {
    tree: t,
    runtime: { name: "opencode-ai", version: "1.18.33" },
    overlay: { name: "opencode-local-overlay", version: "0.1.0" },
    exportedAt: "2025-03-04T10:00:00+00:00",
    redaction: { secrets: true, home: true, rules: "@secretlint/secretlint-rule-preset-recommend@13.0.7" },
    source: "database",
  }
}
