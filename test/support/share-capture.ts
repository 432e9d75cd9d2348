/**
 * A stand-in for the public share service, on 127.0.0.1. Pointed at through
 * `"enterprise": { "url": ... }`, it receives every byte the runtime would
 * publish, so a test can count what leaked. It answers like the real service
 * so the runtime goes on to sync the whole session when sharing is allowed.
 */

export type CapturedRequest = {
  readonly method: string
  readonly path: string
  readonly bodySize: number
  /** The body as JSON, when it is JSON (what the runtime publishes). */
  readonly json?: unknown
}

export type ShareCapture = {
  readonly url: string
  readonly requests: ReadonlyArray<CapturedRequest>
  /** Requests that carry or create a publication (everything but revocations). */
  readonly publishes: () => ReadonlyArray<CapturedRequest>
  readonly stop: () => Promise<void>
}

export async function startShareCapture(): Promise<ShareCapture> {
  const requests: CapturedRequest[] = []
  let next = 0
  let base = ""
  const server: Bun.Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req): Promise<Response> {
      const url = new URL(req.url)
      const body = new Uint8Array(await req.arrayBuffer())
      let json: unknown
      try {
        json = body.byteLength > 0 ? JSON.parse(new TextDecoder().decode(body)) : undefined
      } catch {
        json = undefined
      }
      requests.push({ method: req.method, path: url.pathname, bodySize: body.byteLength, ...(json === undefined ? {} : { json }) })
      if (req.method === "POST" && url.pathname === "/api/share") {
        const id = `capture${++next}`
        return Response.json({ id, url: `${base}/s/${id}`, secret: `secret-${id}` })
      }
      return Response.json({})
    },
  })
  base = `http://127.0.0.1:${server.port}`
  return {
    url: base,
    requests,
    publishes: () => requests.filter((r) => r.method !== "DELETE"),
    stop: async () => {
      await server.stop(true)
    },
  }
}
