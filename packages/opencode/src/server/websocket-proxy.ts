/**
 * WebSockets through the overlay server (the runtime app's terminal): an
 * upgrade request passes the app's checks (the request guard's Host and
 * Origin, the password, the share guard) like any other, is accepted here,
 * and piped to the same path on the private runtime, with the runtime's
 * password added. Messages go both ways unchanged;
 * either side closing closes the other.
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun"
import type { MiddlewareHandler } from "hono"
import { runtimeTarget, type RuntimeEndpoint } from "./proxy.ts"

export type Pipe = {
  readonly target: string
  readonly authorization: string
  readonly protocol?: string
  upstream?: WebSocket
  /** Messages from the browser before the runtime's side was open. */
  pending: Array<string | Uint8Array>
}

const isUpgrade = (header: string | undefined) => header?.toLowerCase() === "websocket"

/** Hono middleware: accepts a WebSocket upgrade (needs Bun's server as the app's `env`, which `Bun.serve({ fetch: app.fetch })` gives). */
export const acceptWebSocket =
  (runtime: RuntimeEndpoint): MiddlewareHandler =>
  async (c, next) => {
    if (!isUpgrade(c.req.header("upgrade"))) return next()
    const server = c.env as Server<Pipe> | undefined
    const target = runtimeTarget(c, runtime, "ws")
    const protocol = c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim() || undefined
    const data: Pipe = { target, authorization: runtime.authorization, pending: [], ...(protocol ? { protocol } : {}) }
    if (server?.upgrade(c.req.raw, { data, ...(protocol ? { headers: { "sec-websocket-protocol": protocol } } : {}) }))
      return new Response(null)
    return c.json({ error: "bad_request", message: "This WebSocket upgrade could not be accepted." }, 400)
  }

/** Bun's client takes headers (the DOM's declaration, in the shared tsconfig, hides that overload). */
const BunWebSocket = WebSocket as unknown as new (url: string, options: Bun.WebSocketOptions) => WebSocket

/** Codes a close frame may carry (1005 and 1006 only describe a close, they are never sent). */
const sendable = (code: number) => (code >= 3000 && code <= 4999) || [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011].includes(code)

/** Bun's `websocket` handlers for the piped sockets. */
export const websocketPipe: WebSocketHandler<Pipe> = {
  open(ws: ServerWebSocket<Pipe>) {
    const options: Bun.WebSocketOptions = {
      headers: { authorization: ws.data.authorization },
      ...(ws.data.protocol ? { protocols: [ws.data.protocol] } : {}),
    }
    const upstream = new BunWebSocket(ws.data.target, options)
    upstream.binaryType = "arraybuffer"
    ws.data.upstream = upstream
    upstream.addEventListener("open", () => {
      for (const message of ws.data.pending) upstream.send(message)
      ws.data.pending = []
    })
    upstream.addEventListener("message", (event) =>
      ws.send(typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer)),
    )
    upstream.addEventListener("close", (event) => ws.close(sendable(event.code) ? event.code : 1000, event.reason))
    upstream.addEventListener("error", () => ws.close(1011, "The runtime's socket failed."))
  },
  message(ws, message) {
    const upstream = ws.data.upstream
    if (upstream?.readyState === WebSocket.OPEN) upstream.send(message)
    else ws.data.pending.push(message)
  },
  close(ws, code, reason) {
    const upstream = ws.data.upstream
    if (upstream && upstream.readyState !== WebSocket.CLOSED) upstream.close(sendable(code) ? code : 1000, reason)
  },
}
