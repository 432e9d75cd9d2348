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
    const json: unknown = await response.json().catch(() => undefined)
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
