/**
 * A stand-in for the npm registry on 127.0.0.1 that counts what it is asked
 * and has nothing: every request gets a 404 at once, so an install the runtime
 * starts fails fast instead of waiting for a registry that cannot be reached.
 * Point a process at it with `npm_config_registry`.
 */
export type CountingRegistry = {
  readonly url: string
  readonly requests: ReadonlyArray<string>
  readonly stop: () => Promise<void>
}

export function startCountingRegistry(): CountingRegistry {
  const requests: string[] = []
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      requests.push(`${req.method} ${new URL(req.url).pathname}`)
      return Response.json({ error: "Not found" }, { status: 404 })
    },
  })
  return { url: `http://127.0.0.1:${server.port}/`, requests, stop: () => server.stop(true) }
}
