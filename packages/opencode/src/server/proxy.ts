import type { Context } from "hono"
import { proxy } from "hono/proxy"
import { BadRequestTarget } from "../http/errors.ts"
import { requestTarget, runtimeUrl } from "../http/request-target.ts"
import { RuntimeUnreachable } from "../runtime/errors.ts"
import { httpError } from "./http-error.ts"

export type RuntimeEndpoint = { readonly url: string; readonly authorization: string }

/**
 * The runtime's URL for a request: the runtime's own origin and the request's
 * path and query as text (`http/request-target.ts`), so the runtime's password
 * goes to the runtime and nowhere else. The request guard has refused a
 * target that could leave the origin; a 400 here says the same if one comes by.
 */
export function runtimeTarget(c: Context, runtime: RuntimeEndpoint, protocol: "http" | "ws" = "http"): string {
  const target = requestTarget(c.req.url)
  if ("problem" in target) throw httpError(new BadRequestTarget({ message: `Refused: ${target.problem}.` }))
  return runtimeUrl(runtime.url, target, protocol)
}

/** Headers of one connection, never passed on (RFC 9110 §7.6.1), and `http2-settings` of an h2c upgrade. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings"]

/**
 * The headers the runtime gets: the caller's, but for those of this hop (and
 * any that `Connection` names), with the private password only the overlay
 * knows instead of the caller's credentials. The Host the browser used stays
 * (the request guard admitted it): the runtime checks a page's Origin against
 * it (its terminal's tickets).
 */
export function forwardedHeaders(incoming: Headers, authorization: string): Headers {
  const headers = new Headers(incoming)
  for (const name of (incoming.get("connection") ?? "").split(",")) if (name.trim()) headers.delete(name.trim())
  for (const name of HOP_BY_HOP) headers.delete(name)
  headers.set("authorization", authorization)
  return headers
}

/**
 * Passes a request to the runtime's own server unchanged (method, path, query,
 * body, streaming answers such as the `/event` server-sent events) through
 * Hono's proxy, with the runtime's password (`forwardedHeaders`). A runtime
 * that does not answer is a 502.
 */
export async function forward(c: Context, runtime: RuntimeEndpoint): Promise<Response> {
  return proxy(runtimeTarget(c, runtime), {
    raw: c.req.raw,
    headers: forwardedHeaders(c.req.raw.headers, runtime.authorization),
    redirect: "manual",
  }).catch((cause) => {
    if (c.req.raw.signal.aborted) throw cause
    throw httpError(new RuntimeUnreachable({ message: "The OpenCode runtime behind this server did not answer." }))
  })
}
