/**
 * Requests to a team share server with a member's token: the one place the
 * overlay builds them (the endpoint's create and revoke, delivery's syncs,
 * a revoke from the ledger). The URL is the server's origin and a path made
 * from checked ids, never request text; redirects are not followed (a token
 * must not be carried elsewhere).
 */

export type ServerAnswer = {
  /** 0 when the server could not be reached. */
  readonly status: number
  readonly json: unknown
  /** The server's own words, or what went wrong. */
  readonly message: string
}

const TIMEOUT_MS = 60_000

export type TeamRequest = {
  readonly method: "POST" | "DELETE" | "GET"
  readonly token: string
  readonly body?: string
  readonly headers?: Record<string, string>
  readonly fetch?: typeof fetch
  /** The most of the answer read (a server that sends more is failing); default 64 KiB. */
  readonly maxBytes?: number
}

/** Answers to create, sync and revoke are a few bytes: more is a server misbehaving, not read into memory. */
const ANSWER_MAX_BYTES = 64 * 1024

/** The body as text, or undefined when it is longer than `max` (the rest is not read). */
async function readAtMost(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length") ?? NaN)
  if (declared > max) {
    await response.body?.cancel().catch(() => {})
    return undefined
  }
  if (!response.body) return ""
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString("utf8")
}

export async function teamRequest(origin: string, path: string, request: TeamRequest): Promise<ServerAnswer> {
  const send = request.fetch ?? fetch
  try {
    const response = await send(`${origin}${path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${request.token}`, "content-type": "application/json", ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    const text = await readAtMost(response, request.maxBytes ?? ANSWER_MAX_BYTES)
    if (text === undefined) return { status: 0, json: undefined, message: `${origin} answered with more than ${request.maxBytes ?? ANSWER_MAX_BYTES} bytes` }
    let json: unknown
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    const said = typeof json === "object" && json !== null && "message" in json && typeof json.message === "string" ? json.message : undefined
    return { status: response.status, json, message: said ?? `HTTP ${response.status}` }
  } catch (cause) {
    return { status: 0, json: undefined, message: `cannot reach ${origin}: ${cause instanceof Error ? cause.message : String(cause)}` }
  }
}

/** Takes a share down with its secret; gone already (404) counts as done. */
export async function revokeOnServer(origin: string, shareID: string, secret: string, token: string, send?: typeof fetch): Promise<ServerAnswer & { readonly done: boolean }> {
  const answer = await teamRequest(origin, `/api/share/${encodeURIComponent(shareID)}`, {
    method: "DELETE",
    token,
    body: JSON.stringify({ secret }),
    ...(send ? { fetch: send } : {}),
  })
  return { ...answer, done: answer.status === 200 || answer.status === 404 }
}
