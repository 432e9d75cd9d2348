/**
 * The order of a readable export (pure), shared by the Markdown and HTML
 * renderers: each message in turn (one chunk per message: a chunk per part
 * would cost more in async overhead than rendering), a subagent session right
 * after the task call that started them, the others after the messages, then
 * the session's closing block. Each renderer says how every piece looks.
 */
import type { AssistantMessage, Part, UserMessage } from "@opencode-ai/sdk/v2"
import type { UnknownPart } from "../../model/parts.ts"
import { childSessionID, type MessageNode, type SessionTree, type TreeWarning } from "../document/tree.ts"

export type SessionView = {
  readonly warning: (warning: TreeWarning) => string
  /** A user message's opening and its parts (they are rendered with it). */
  readonly user: (node: MessageNode, info: UserMessage, depth: number) => string
  readonly assistant: (info: AssistantMessage, depth: number) => string
  readonly part: (part: Part, depth: number) => string
  readonly unsupported: (part: UnknownPart) => string
  /** A task call's subagent session that is not in the tree. */
  readonly childMissing: (sessionID: string) => string
  /** After a message's parts: its error, and whatever closes it. */
  readonly endMessage: (info: MessageNode["info"]) => string
  readonly startSubagent: (tree: SessionTree, depth: number) => string
  readonly endSubagent: (tree: SessionTree) => string
  /** After a session's messages (its changed files). */
  readonly endSession: (tree: SessionTree, depth: number) => string
}

export async function* walkSession(tree: SessionTree, depth: number, view: SessionView): AsyncGenerator<string> {
  const children = new Map(tree.children.map((c) => [c.info.id, c]))
  const shown = new Set<string>()
  for await (const entry of tree.entries()) {
    if (entry.kind === "warning") {
      yield view.warning(entry.warning)
      continue
    }
    const node = entry.message
    const info = node.info
    let out = info.role === "user" ? view.user(node, info, depth) : view.assistant(info, depth)
    for (const { kind, value } of node.parts) {
      if (kind === "unsupported") {
        out += view.unsupported(value)
        continue
      }
      if (info.role === "user") continue // rendered with its message
      out += view.part(value, depth)
      const childID = childSessionID(value)
      const child = childID ? children.get(childID) : undefined
      if (childID && !child) out += view.childMissing(childID)
      if (child && !shown.has(child.info.id)) {
        shown.add(child.info.id)
        yield out
        out = ""
        yield* subagent(child, depth + 1, view)
      }
    }
    yield out + view.endMessage(info)
  }
  for (const child of tree.children) if (!shown.has(child.info.id)) yield* subagent(child, depth + 1, view)
  const end = view.endSession(tree, depth)
  if (end !== "") yield end
}

async function* subagent(tree: SessionTree, depth: number, view: SessionView): AsyncGenerator<string> {
  yield view.startSubagent(tree, depth)
  yield* walkSession(tree, depth, view)
  yield view.endSubagent(tree)
}
