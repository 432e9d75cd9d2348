/**
 * The session tree: what every source produces and every renderer reads.
 *
 * It streams: the session's info, todos and totals are at hand up front, the
 * messages come one at a time (each with all its parts), so a session of
 * hundreds of megabytes is never held in memory at once. Every value travels
 * with its JSON serialization (`json`), which the JSON renderer copies as is.
 */
import type { Message, Part, Session, Todo } from "@opencode-ai/sdk/v2"
import type { UnknownPart } from "../../model/parts.ts"

type Screened = {
  /** Already screened (by the prescan worker): its JSON needs no sanitizing. */
  readonly screened?: true
}

export type PartNode =
  | ({ readonly kind: "part"; readonly value: Part; readonly json: string } & Screened)
  /** A part type this overlay does not know; rendered as one "unsupported part" line. */
  | ({ readonly kind: "unsupported"; readonly value: UnknownPart; readonly json: string } & Screened)

export type MessageNode = {
  readonly info: Message
  readonly json: string
  readonly parts: ReadonlyArray<PartNode>
}

/** A row or value that could not be read; the export goes on without it. */
export type TreeWarning = {
  readonly kind: "session" | "message" | "part"
  /** The row's id (session, message or part). */
  readonly id: string
  readonly messageID?: string
  /** What is wrong, as a sentence fragment: "not valid JSON (…)". */
  readonly problem: string
  /** The row's text as stored (sanitized like everything else), when there is one. */
  readonly raw?: string
}

export type Entry =
  | { readonly kind: "message"; readonly message: MessageNode }
  | { readonly kind: "warning"; readonly warning: TreeWarning }

export type ModelUse = {
  readonly providerID: string
  readonly modelID: string
  /** The model's display name, when the source knows it. */
  readonly name?: string
}

export type Tokens = {
  readonly input: number
  readonly output: number
  readonly reasoning: number
  readonly cacheRead: number
  readonly cacheWrite: number
}

/** Totals of one session (not counting its subagent sessions). */
export type SessionStats = {
  readonly messages: number
  readonly userMessages: number
  readonly assistantMessages: number
  readonly toolCalls: number
  /** Tool calls that ended in an error. */
  readonly failedTools: number
  /** Assistant messages that ended in an error. */
  readonly messageErrors: number
  readonly tokens: Tokens
  readonly cost: number
  /** Agents that answered, in order of first appearance. */
  readonly agents: ReadonlyArray<string>
  /** Models that answered, in order of first appearance. */
  readonly models: ReadonlyArray<ModelUse>
}

export type SessionTree = {
  readonly info: Session
  readonly json: string
  readonly todos: ReadonlyArray<Todo>
  /** Problems found before streaming (bad JSON columns, todos). */
  readonly warnings: ReadonlyArray<TreeWarning>
  /** The messages in order, oldest first, with warnings where rows could not be read. Iterate once. */
  readonly entries: () => AsyncIterable<Entry>
  /**
   * This session's totals, counted while its entries stream by (so the
   * session is read once): complete once `entries` has been read to the end.
   */
  readonly stats: () => SessionStats
  /** Subagent sessions started from this one, oldest first (empty with `--no-children`). */
  readonly children: ReadonlyArray<SessionTree>
}

export type ModelNames = (providerID: string, modelID: string) => string | undefined

export type Versioned = { readonly name: string; readonly version: string }

/** Everything a renderer needs besides the tree. */
export type ExportContext = {
  readonly runtime: Versioned
  readonly overlay: Versioned
  /** ISO 8601 with offset; only the JSON format shows it. */
  readonly exportedAt: string
  readonly redaction: Redaction
  /** Where the tree came from. */
  readonly source: "database" | "attach"
}

export type Redaction = {
  readonly secrets: boolean
  /** The home directory was shown as `~`. */
  readonly home: boolean
  /** The rule set that found the secrets. */
  readonly rules?: string
}

export type ExportDocument = ExportContext & { readonly tree: SessionTree }

export const EMPTY_STATS: SessionStats = {
  messages: 0,
  userMessages: 0,
  assistantMessages: 0,
  toolCalls: 0,
  failedTools: 0,
  messageErrors: 0,
  tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
  cost: 0,
  agents: [],
  models: [],
}

/** The totals of a session and all its subagent sessions (once they have been read). */
export function treeStats(tree: SessionTree): SessionStats & { readonly sessions: number } {
  let sessions = 0
  let acc = EMPTY_STATS
  const visit = (t: SessionTree) => {
    sessions++
    acc = addStats(acc, t.stats())
    for (const c of t.children) visit(c)
  }
  visit(tree)
  return { ...acc, sessions }
}

function addStats(a: SessionStats, b: SessionStats): SessionStats {
  const agents = [...a.agents]
  for (const x of b.agents) if (!agents.includes(x)) agents.push(x)
  const models = [...a.models]
  for (const m of b.models)
    if (!models.some((n) => n.providerID === m.providerID && n.modelID === m.modelID)) models.push(m)
  return {
    messages: a.messages + b.messages,
    userMessages: a.userMessages + b.userMessages,
    assistantMessages: a.assistantMessages + b.assistantMessages,
    toolCalls: a.toolCalls + b.toolCalls,
    failedTools: a.failedTools + b.failedTools,
    messageErrors: a.messageErrors + b.messageErrors,
    tokens: {
      input: a.tokens.input + b.tokens.input,
      output: a.tokens.output + b.tokens.output,
      reasoning: a.tokens.reasoning + b.tokens.reasoning,
      cacheRead: a.tokens.cacheRead + b.tokens.cacheRead,
      cacheWrite: a.tokens.cacheWrite + b.tokens.cacheWrite,
    },
    cost: a.cost + b.cost,
    agents,
    models,
  }
}

/**
 * Counts the messages of `entries` as they pass by; `stats()` gives the
 * totals so far (all of them once the entries have been read).
 */
export function counting(
  entries: () => AsyncIterable<Entry>,
  names: ModelNames = () => undefined,
): { readonly entries: () => AsyncIterable<Entry>; readonly stats: () => SessionStats } {
  const acc = {
    messages: 0,
    userMessages: 0,
    assistantMessages: 0,
    toolCalls: 0,
    failedTools: 0,
    messageErrors: 0,
    cost: 0,
  }
  const tokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }
  const agents: string[] = []
  const models: ModelUse[] = []
  const num = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0)
  const add = ({ info, parts }: MessageNode) => {
    acc.messages++
    if (info.role === "user") acc.userMessages++
    else {
      acc.assistantMessages++
      if (info.error) acc.messageErrors++
      tokens.input += num(info.tokens?.input)
      tokens.output += num(info.tokens?.output)
      tokens.reasoning += num(info.tokens?.reasoning)
      tokens.cacheRead += num(info.tokens?.cache?.read)
      tokens.cacheWrite += num(info.tokens?.cache?.write)
      acc.cost += num(info.cost)
      const agent = info.agent || info.mode
      if (agent && !agents.includes(agent)) agents.push(agent)
      if (!models.some((m) => m.providerID === info.providerID && m.modelID === info.modelID)) {
        const name = names(info.providerID, info.modelID)
        models.push({ providerID: info.providerID, modelID: info.modelID, ...(name ? { name } : {}) })
      }
    }
    for (const p of parts) {
      if (p.kind !== "part" || p.value.type !== "tool") continue
      acc.toolCalls++
      if (p.value.state.status === "error") acc.failedTools++
    }
  }
  return {
    entries: async function* () {
      for await (const entry of entries()) {
        if (entry.kind === "message") add(entry.message)
        yield entry
      }
    },
    stats: () => ({ ...acc, tokens: { ...tokens }, agents: [...agents], models: [...models] }),
  }
}

/** A small tree held in memory (the attach source, tests). */
export function entriesOf(messages: ReadonlyArray<MessageNode>, warnings: ReadonlyArray<TreeWarning> = []) {
  return async function* (): AsyncIterable<Entry> {
    for (const warning of warnings) yield { kind: "warning", warning }
    for (const message of messages) yield { kind: "message", message }
  }
}

/** The session id a `task` tool call started, as the runtime records it. */
export function childSessionID(part: Part): string | undefined {
  if (part.type !== "tool" || part.tool !== "task") return undefined
  const metadata = "metadata" in part.state ? part.state.metadata : undefined
  const id = metadata?.sessionId ?? metadata?.sessionID
  return typeof id === "string" ? id : undefined
}

/** What the header's facts are read from (`facts.ts`): the document's context and the whole tree's counts. */
export const factsOf = (doc: ExportDocument) => ({
  info: doc.tree.info,
  runtime: doc.runtime,
  overlay: doc.overlay,
  redaction: doc.redaction,
  stats: treeStats(doc.tree),
})
