/**
 * A recording HTTP proxy on 127.0.0.1: given to a process as `HTTP_PROXY` and
 * `HTTPS_PROXY` (Bun's fetch, and so the runtime, honours them), it sees every
 * request that would leave the machine: a `CONNECT host:port` for https, the
 * absolute URL for plain http. It records the target and refuses it (502), so
 * nothing leaves. Loopback is exempt through `NO_PROXY` (the mock model, the
 * overlay's endpoint, a test's team server), so what it records went for
 * another host.
 */
export type RecordingProxy = {
  readonly url: string
  /** `CONNECT opncd.ai:443`, `GET http://example.com/x`, in order. */
  readonly seen: ReadonlyArray<string>
  /** The variables that send a process's traffic through it. */
  readonly env: Record<string, string>
  readonly stop: () => void
}

export function startRecordingProxy(): RecordingProxy {
  const seen: string[] = []
  const server = Bun.listen<{ head: string }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open: (socket) => {
        socket.data = { head: "" }
      },
      data: (socket, chunk) => {
        socket.data.head += chunk.toString("latin1")
        const end = socket.data.head.indexOf("\r\n")
        if (end === -1 && socket.data.head.length < 8192) return
        const [method, target] = socket.data.head.slice(0, end === -1 ? undefined : end).split(" ")
        seen.push(`${method} ${target}`)
        socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
      },
    },
  })
  const url = `http://127.0.0.1:${server.port}`
  return {
    url,
    seen,
    env: { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: "127.0.0.1,localhost,::1", no_proxy: "127.0.0.1,localhost,::1" },
    stop: () => server.stop(true),
  }
}
