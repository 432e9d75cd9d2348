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

/**
 * Passes a request to the runtime's own server unchanged (method, path, query,
 * body, streaming answers such as the `/event` server-sent events) through
 * Hono's proxy, with the private password only the overlay knows instead of
 * the caller's credentials. A runtime that does not answer is a 502.
 */
export async function forward(c: Context, runtime: RuntimeEndpoint): Promise<Response> {
  return proxy(runtimeTarget(c, runtime), {
    raw: c.req.raw,
    // The Host the browser used stays (the request guard admitted it): the runtime checks a page's Origin against it (its terminal's tickets).
    headers: { ...c.req.header(), authorization: runtime.authorization },
    redirect: "manual",
  }).catch((cause) => {
    if (c.req.raw.signal.aborted) throw cause
    throw httpError(new RuntimeUnreachable({ message: "The OpenCode runtime behind this server did not answer." }))
  })
}
