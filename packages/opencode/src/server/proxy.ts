import type { Context } from "hono"
import { proxy } from "hono/proxy"
import { RuntimeUnreachable } from "../runtime/errors.ts"
import { httpError } from "./http-error.ts"

export type RuntimeEndpoint = { readonly url: string; readonly authorization: string }

/**
 * Passes a request to the runtime's own server unchanged (method, path, query,
 * body, streaming answers such as the `/event` server-sent events) through
 * Hono's proxy, with the private password only the overlay knows instead of
 * the caller's credentials. A runtime that does not answer is a 502.
 */
/** The same path and query on the runtime's server. */
export function runtimeTarget(c: Context, runtime: RuntimeEndpoint): URL {
  const incoming = new URL(c.req.url)
  return new URL(incoming.pathname + incoming.search, runtime.url)
}

export async function forward(c: Context, runtime: RuntimeEndpoint): Promise<Response> {
  return proxy(runtimeTarget(c, runtime), {
    raw: c.req.raw,
    // The Host the browser used stays: the runtime checks a page's Origin against it (its terminal's tickets).
    headers: { ...c.req.header(), authorization: runtime.authorization },
    redirect: "manual",
  }).catch((cause) => {
    if (c.req.raw.signal.aborted) throw cause
    throw httpError(new RuntimeUnreachable({ message: "The OpenCode runtime behind this server did not answer." }))
  })
}
