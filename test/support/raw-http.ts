/**
 * HTTP/1.1 written byte for byte over a socket, for requests `fetch` will not
 * send: any `Host`, a target that is not a plain path (`//host/x`,
 * `http://host/x`, backslashes), a WebSocket handshake from a foreign page.
 */
import { connect } from "node:net"

/** A 101's head, or a head with a Content-Length and that many bytes after it. */
function complete(received: string): boolean {
  const end = received.indexOf("\r\n\r\n")
  if (end < 0) return false
  if (/^HTTP\/1\.1 101 /.test(received)) return true
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(received.slice(0, end))
  return length !== null && Buffer.byteLength(received.slice(end + 4)) >= Number(length[1])
}

export type RawAnswer = { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }

/**
 * Sends `METHOD target HTTP/1.1` with `headers` (and `Connection: close`) to
 * 127.0.0.1:`port`; resolves once the server closes (or, for a WebSocket
 * it lets through, once its `101` head is in), or with what came in `timeoutMs`.
 */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Readonly<Record<string, string>>,
  body = "",
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const lines = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  if (body !== "" || method === "POST") lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "connection")) lines.push("Connection: close")
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    let received = ""
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      const [head = "", ...rest] = received.split("\r\n\r\n")
      const [statusLine = "", ...headerLines] = head.split("\r\n")
      const status = Number(statusLine.split(" ")[1])
      if (!Number.isInteger(status)) return reject(new Error(`no HTTP answer to ${method} ${target}: ${JSON.stringify(received.slice(0, 200))}`))
      const parsed: Record<string, string> = {}
      for (const line of headerLines) {
        const at = line.indexOf(":")
        if (at > 0) parsed[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim()
      }
      resolve({ status, headers: parsed, body: rest.join("\r\n\r\n") })
    }
    const timer = setTimeout(done, timeoutMs)
    socket.setEncoding("utf8")
    socket.on("data", (chunk: string) => {
      received += chunk
      // A WebSocket let through, or an answer on a connection the server keeps open: done once it is whole.
      if (complete(received)) done()
    })
    socket.on("end", done)
    socket.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`)
  })
}
