/**
 * Decoding the runtime's rows into the `@opencode-ai/sdk/v2` shapes (pure).
 *
 * The runtime keeps `message.data` and `part.data` as JSON text without the
 * ids, which live in their own columns. A decoded row carries the value with
 * its ids and its serialization (`json`: the row's own JSON text with the ids
 * spliced in, so a clean row never needs `JSON.stringify`; for parts it is
 * built on first read, since the Markdown renderer mostly never reads it and
 * copying megabytes of tool output for nothing showed in profiles). A row that is
 * not JSON, or lacks what its type needs, is not a value but a `problem`: the
 * export turns it into a warning instead of failing.
 */
import type { Message, Part, Session, SnapshotFileDiff } from "@opencode-ai/sdk/v2"
import { KNOWN_PART_TYPES, type UnknownPart } from "../model/parts.ts"
import type { SessionRow } from "./schema.ts"

export type Decoded<T> =
  | { readonly ok: true; readonly value: T; readonly json: string }
  | { readonly ok: false; readonly problem: string }

export type DecodedPart =
  | { readonly ok: true; readonly known: true; readonly value: Part; readonly json: string; readonly spliced: boolean }
  | { readonly ok: true; readonly known: false; readonly value: UnknownPart; readonly json: string; readonly spliced: boolean }
  | { readonly ok: false; readonly problem: string }

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)
const isStr = (v: unknown): v is string => typeof v === "string"
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v)

function parseObject(data: string): Obj | string {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch (cause) {
    return `not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`
  }
  return isObj(value) ? value : `not a JSON object (${value === null ? "null" : Array.isArray(value) ? "array" : typeof value})`
}

/**
 * The row's value with its ids added last, as the runtime's own export has
 * them, and its JSON: the row's text with `,"id":…}` in place of its final
 * `}` (no re-serializing). Falls back to `JSON.stringify` when the row is not
 * plain compact JSON or already holds one of the id keys.
 */
const SIMPLE = /^[A-Za-z0-9_-]*$/

function withIds(
  ids: ReadonlyArray<readonly [string, string]>,
  data: string,
  value: Obj,
): { value: Obj; json: () => string; spliced: boolean } {
  let clash = false
  for (const [key] of ids) if (Object.hasOwn(value, key)) clash = true
  if (clash) {
    const merged: Obj = { ...value }
    for (const [key, id] of ids) {
      delete merged[key]
      merged[key] = id
    }
    const json = JSON.stringify(merged)
    return { value: merged, json: () => json, spliced: false }
  }
  let empty = true
  for (const _ in value) {
    empty = false
    break
  }
  for (const [key, id] of ids) value[key] = id
  const end = data.length - 1
  if (data.charCodeAt(0) !== 123 /* { */ || data.charCodeAt(end) !== 125 /* } */) {
    const json = JSON.stringify(value)
    return { value, json: () => json, spliced: false }
  }
  // Spliced from the immutable row text and ids alone, so building it later gives the same text.
  let json: string | undefined
  return {
    value,
    json: () => {
      if (json === undefined) {
        const tail = idsTail(ids)
        json = `${data.slice(0, end)}${empty ? tail.slice(1) : tail}`
      }
      return json
    },
    spliced: true,
  }
}

/** The text `withIds` puts in place of a row's final `}` (what the prescan screens besides the row). */
export function idsTail(ids: ReadonlyArray<readonly [string, string]>): string {
  let tail = ""
  // Ids are plain ASCII (`prt_…`); only an odd one needs JSON escaping.
  for (const [key, id] of ids) tail += `,"${key}":${SIMPLE.test(id) ? `"${id}"` : JSON.stringify(id)}`
  return `${tail}}`
}

/** A `message` row: `{ ...data, id, sessionID }` as a `Message`. */
export function decodeMessage(id: string, sessionID: string, data: string): Decoded<Message> {
  const parsed = parseObject(data)
  if (typeof parsed === "string") return { ok: false, problem: parsed }
  const problem = messageProblem(parsed)
  if (problem) return { ok: false, problem }
  const { value, json } = withIds([["id", id], ["sessionID", sessionID]], data, parsed)
  return { ok: true, value: value as unknown as Message, json: json() }
}

function messageProblem(m: Obj): string | undefined {
  if (!isObj(m.time) || !isNum(m.time.created)) return "has no time.created"
  if (m.role === "user") return undefined
  if (m.role === "assistant") {
    if (!isStr(m.providerID) || !isStr(m.modelID)) return "is an assistant message without providerID/modelID"
    return undefined
  }
  return `has an unknown role (${JSON.stringify(m.role)})`
}

/** A `part` row: `{ ...data, id, sessionID, messageID }` as a `Part`, or an unknown part. */
export function decodePart(id: string, messageID: string, sessionID: string, data: string): DecodedPart {
  const parsed = parseObject(data)
  if (typeof parsed === "string") return { ok: false, problem: parsed }
  if (!isStr(parsed.type)) return { ok: false, problem: "has no type" }
  const known = KNOWN_PART_TYPES.has(parsed.type)
  if (known) {
    const problem = partProblem(parsed)
    if (problem) return { ok: false, problem: `is a ${parsed.type} part that ${problem}` }
  }
  const { value, json, spliced } = withIds(
    [["id", id], ["sessionID", sessionID], ["messageID", messageID]],
    data,
    parsed,
  )
  return known
    ? { ok: true, known: true, value: value as unknown as Part, get json() { return json() }, spliced }
    : { ok: true, known: false, value: value as unknown as UnknownPart, get json() { return json() }, spliced }
}

const TOOL_STATUS = new Set(["pending", "running", "completed", "error"])

function partProblem(p: Obj): string | undefined {
  switch (p.type) {
    case "text":
    case "reasoning":
      return isStr(p.text) ? undefined : "has no text"
    case "file":
      return isStr(p.mime) && isStr(p.url) ? undefined : "has no mime or url"
    case "tool": {
      if (!isStr(p.tool)) return "has no tool name"
      const state = p.state
      if (!isObj(state) || !isStr(state.status) || !TOOL_STATUS.has(state.status)) return "has no valid state"
      if (state.status === "completed" && !isStr(state.output)) return "is completed without output"
      if (state.status === "error" && !isStr(state.error)) return "failed without an error message"
      return undefined
    }
    case "subtask":
      return isStr(p.prompt) && isStr(p.agent) ? undefined : "has no prompt or agent"
    case "step-finish":
      return undefined
    case "patch":
      return Array.isArray(p.files) ? undefined : "has no files"
    case "agent":
      return isStr(p.name) ? undefined : "has no name"
    case "retry":
      return isNum(p.attempt) ? undefined : "has no attempt number"
    default:
      return undefined
  }
}

/** Parses one of the session row's JSON columns; `undefined` when empty or invalid. */
function jsonColumn(text: string | null, name: string, problems: string[]): unknown {
  if (text === null || text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    problems.push(`column ${name} is not valid JSON`)
    return undefined
  }
}

/**
 * A `session` row as the SDK's `Session`, the way the runtime builds it
 * (same keys, same order). JSON columns that do not parse are left out and
 * named in `problems`.
 */
export function sessionFromRow(row: SessionRow): { readonly info: Session; readonly problems: ReadonlyArray<string> } {
  const problems: string[] = []
  const info: Record<string, unknown> = { id: row.id, slug: row.slug, projectID: row.projectID }
  if (row.workspaceID) info.workspaceID = row.workspaceID
  info.directory = row.directory
  if (row.path !== null) info.path = row.path
  if (row.parentID) info.parentID = row.parentID
  info.title = row.title
  if (row.agent) info.agent = row.agent
  const model = jsonColumn(row.model, "model", problems)
  if (isObj(model)) info.model = model
  info.version = row.version
  if (row.summaryAdditions !== null || row.summaryDeletions !== null || row.summaryFiles !== null) {
    const diffs = jsonColumn(row.summaryDiffs, "summary_diffs", problems)
    info.summary = {
      additions: row.summaryAdditions ?? 0,
      deletions: row.summaryDeletions ?? 0,
      files: row.summaryFiles ?? 0,
      ...(Array.isArray(diffs) ? { diffs: diffs as SnapshotFileDiff[] } : {}),
    }
  }
  info.cost = row.cost
  info.tokens = {
    input: row.tokensInput,
    output: row.tokensOutput,
    reasoning: row.tokensReasoning,
    cache: { read: row.tokensCacheRead, write: row.tokensCacheWrite },
  }
  if (row.shareURL) info.share = { url: row.shareURL }
  const revert = jsonColumn(row.revert, "revert", problems)
  if (isObj(revert)) info.revert = revert
  const permission = jsonColumn(row.permission, "permission", problems)
  if (Array.isArray(permission)) info.permission = permission
  const metadata = jsonColumn(row.metadata, "metadata", problems)
  if (isObj(metadata)) info.metadata = metadata
  const time: Record<string, number> = { created: row.timeCreated, updated: row.timeUpdated }
  if (row.timeCompacting !== null) time.compacting = row.timeCompacting
  if (row.timeArchived !== null) time.archived = row.timeArchived
  info.time = time
  return { info: info as unknown as Session, problems }
}
