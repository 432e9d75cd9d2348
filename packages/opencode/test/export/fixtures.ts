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
} from "../../src/export/document/tree.ts"

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

/** A small session with one of everything; built fresh for every render (trees stream once). */
export function sample() {
  resetIds()
  const sid = "ses_main"
  const child = tree(session("ses_child", { parentID: sid, title: "Count files (@general subagent)", agent: "general" }), [
    user("ses_child", [text("count the files")]),
    assistant("ses_child", [text("There are 3 files.")], { agent: "general", mode: "general" }),
  ])
  const messages = [
    user(sid, [
      text("## Please fix the *parser*"),
      text("file contents the runtime read", { synthetic: true }),
      { type: "file", mime: "image/png", filename: "shot.png", url: "[OMITTED:data-url]", payload: { omitted: true, mime: "image/png", size: 70, sha256: "ab".repeat(32) } },
    ]),
    assistant(sid, [
      { type: "step-start" },
      { type: "reasoning", text: "Think about `the` bug.", time: { start: T0, end: T0 + 1 } },
      text("Done:\n\n````md\n```js\nfix()\n```\n````"),
      tool("bash", completed({ command: "ls", description: "List files" }, Array.from({ length: 300 }, (_, i) => `file${i}`).join("\n"), "List files")),
      tool("read", failed({ filePath: "/nope/missing.txt" }, "File not found: /nope/missing.txt")),
      tool("task", completed({ description: "Count files", prompt: "count", subagent_type: "general" }, "<task_result>3</task_result>", "Count files", { sessionId: "ses_child" })),
      tool("edit", completed({ filePath: "a.ts" }, "ok", "a.ts", { diff: "--- a.ts\n+++ a.ts\n@@\n-old\n+new" })),
      { type: "hologram", beam: 1 },
      { type: "step-finish", reason: "stop", cost: 0, tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } } },
    ]),
    assistant(sid, [], { error: { name: "APIError", data: { message: "provider exploded", isRetryable: false } } }),
  ]
  return tree(session(sid), messages, {
    children: [child],
    todos: [
      { content: "write tests", status: "completed", priority: "high" },
      { content: "ship *it*", status: "in_progress", priority: "low" },
    ],
    streamed: [{ kind: "part", id: "prt_bad", messageID: "msg_x", problem: "not valid JSON", raw: "{oops" }],
  })
}
