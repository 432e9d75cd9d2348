import type { Context } from "hono"

export type RuntimeEndpoint = { readonly url: string; readonly authorization: string }

/** Headers that describe one hop, or that fetch has already undone (compression). */
const HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "content-encoding", "content-length", "host"]

/**
 * Passes a request to the runtime's own server unchanged (method, path, query,
 * body, streaming answers such as the `/event` server-sent events), with the
 * private password only the overlay knows instead of the caller's credentials.
 */
export async function forward(c: Context, runtime: RuntimeEndpoint): Promise<Response> {
  const incoming = new URL(c.req.url)
  const target = new URL(incoming.pathname + incoming.search, runtime.url)
  const headers = new Headers(c.req.raw.headers)
  for (const name of HOP) headers.delete(name)
  headers.set("authorization", runtime.authorization)
  const hasBody = c.req.method !== "GET" && c.req.method !== "HEAD"
  const answer = await fetch(target, {
    method: c.req.method,
    headers,
    body: hasBody ? c.req.raw.body : undefined,
    redirect: "manual",
    signal: c.req.raw.signal,
    // @ts-expect-error Bun and Node need this to stream a request body
    duplex: hasBody ? "half" : undefined,
  })
  const out = new Headers(answer.headers)
  for (const name of HOP) out.delete(name)
  return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: out })
}
