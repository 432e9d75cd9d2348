/**
 * The overlay server's routes, as used by the app. Every request is same
 * origin; state-changing ones carry the page's Origin, which the server checks.
 */
import { checkExport, transcriptView, type TranscriptView } from "./transcript.ts"
import type { CommandInfo, ExportFile, ExportOptions, PolicyJson, SearchAnswer, SessionListItem } from "./types.ts"

/** A failed request, with the server's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function failure(response: Response): Promise<ApiError> {
  let code = "http_error"
  let message = `${response.status} ${response.statusText}`.trim()
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown }
    if (typeof body.error === "string") code = body.error
    if (typeof body.message === "string" && body.message !== "") message = body.message
  } catch {}
  return new ApiError(response.status, code, message)
}

async function request(path: string, init?: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(path, { cache: "no-store", ...init })
  } catch {
    throw new ApiError(0, "offline", "The overlay server is not reachable. Is `opencode web` still running?")
  }
  if (!response.ok) throw await failure(response)
  return response
}

const json = async <T,>(path: string, init?: RequestInit): Promise<T> => (await (await request(path, init)).json()) as T

/** The policy of a project directory (default: the folder the server was started in). */
export const fetchPolicy = (directory?: string): Promise<PolicyJson> =>
  json<PolicyJson>(directory ? `/overlay/policy?${new URLSearchParams({ directory })}` : "/overlay/policy")

export const fetchSessions = (): Promise<SessionListItem[]> => json<SessionListItem[]>("/overlay/sessions")

/** Full text over every session (the overlay's index, redacted); a query it cannot read is an `ApiError` saying why. */
export const fetchSearch = (q: string, signal?: AbortSignal): Promise<SearchAnswer> =>
  json<SearchAnswer>(`/overlay/search?${new URLSearchParams({ q, limit: "30" })}`, { signal })

/** The command registry, or `undefined` when the server has none (the app works without it). */
export async function fetchCommands(): Promise<CommandInfo[] | undefined> {
  try {
    const body = await json<unknown>("/overlay/commands")
    const list = Array.isArray(body) ? body : (body as { commands?: unknown })?.commands
    return Array.isArray(list) ? (list.filter((c) => c && typeof c === "object" && typeof c.name === "string") as CommandInfo[]) : undefined
  } catch {
    return undefined
  }
}

const EXTENSION: Record<ExportOptions["format"], string> = { markdown: "md", json: "json", html: "html" }
const MEDIA_TYPE: Record<ExportOptions["format"], string> = { markdown: "text/markdown", json: "application/json", html: "text/html" }

export function exportUrl(sessionID: string, options: ExportOptions): string {
  const query = new URLSearchParams({ format: options.format })
  // The JSON file is lossless: it holds everything whatever the options.
  if (options.format !== "json") {
    if (options.thinking) query.set("thinking", "1")
    if (options.toolDetails) query.set("toolDetails", "1")
    if (options.diffs) query.set("diffs", "1")
  }
  return `/overlay/session/${encodeURIComponent(sessionID)}/export?${query}`
}

/** Fetches an export once: the bytes (for the download) and their text (for the preview). */
export async function fetchExport(sessionID: string, options: ExportOptions, signal?: AbortSignal): Promise<ExportFile> {
  const response = await request(exportUrl(sessionID, options), signal ? { signal } : undefined)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const fallback = `${sessionID}.${EXTENSION[options.format]}`
  return {
    bytes,
    text: new TextDecoder("utf-8").decode(bytes),
    fileName: fileNameFrom(response.headers.get("content-disposition")) ?? fallback,
    contentType: response.headers.get("content-type") ?? MEDIA_TYPE[options.format],
  }
}

/**
 * What the session view shows: the session's JSON export (lossless, with its
 * subagent sessions, redacted by the server like every export), as a view model.
 */
export async function fetchTranscript(sessionID: string, signal?: AbortSignal): Promise<TranscriptView> {
  const body = await json<unknown>(exportUrl(sessionID, { format: "json", thinking: true, toolDetails: true, diffs: true }), signal ? { signal } : undefined)
  return transcriptView(checkExport(body))
}

export const revokePublicLink = (sessionID: string): Promise<{ revoked: string; url: string }> =>
  json(`/overlay/session/${encodeURIComponent(sessionID)}/revoke`, { method: "POST" })

/** `filename*=UTF-8''…` (RFC 6266) first, then `filename="…"`. */
export function fileNameFrom(header: string | null): string | undefined {
  if (!header) return undefined
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {}
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header)
  const name = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2]?.trim()
  return name ? (name.split(/[\\/]/).pop() ?? undefined) : undefined
}
