/**
 * Which names the overlay's server answers to (pure). A server on loopback is
 * reachable by every page in the user's browser: a page on a name its owner
 * re-points at 127.0.0.1 (DNS rebinding) is same-origin with itself and sends
 * that name as `Host` and in `Origin`. So the server accepts only the names of
 * the address it was bound to, on its port, plus the names a user adds
 * (`--allow-host`, for a reverse proxy); requests and origins are checked
 * against this list, never against each other.
 */

/** One accepted name: on one port, or on any port (`port` absent: a name the user added without one). */
export type HostEntry = { readonly name: string; readonly port?: number }

export type HostAllowList = {
  readonly entries: ReadonlyArray<HostEntry>
  /** Names the user added: their origins may also be `https:` (a proxy in front that terminates TLS). */
  readonly added: ReadonlyArray<HostEntry>
}

/** A `Host` header or an origin's host: `name`, `name:port`, `[v6]`, `[v6]:port`; anything else is not a host. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/

/** `name` and `port` of a host, lower-cased; the port defaults to the scheme's. */
export function parseHost(host: string, defaultPort = 80): { readonly name: string; readonly port: number } | undefined {
  const match = HOST.exec(host.trim().toLowerCase())
  if (!match) return undefined
  const port = match[2] === undefined ? defaultPort : Number(match[2])
  return port > 0 && port <= 65535 ? { name: match[1]!, port } : undefined
}

const LOOPBACK_NAMES = ["localhost", "[::1]"]

/** Loopback addresses: the only ones the server binds without a password. */
export const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "::1" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/** Every address of the machine (`0.0.0.0`, `::`). */
export const isWildcard = (hostname: string) => hostname === "0.0.0.0" || hostname === "::" || hostname === "[::]"

/** An address as it appears in a `Host` header (IPv6 in brackets, without a zone). */
export const hostForm = (address: string): string => {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase()
  return bare.includes(":") ? `[${bare.split("%")[0]}]` : bare
}

/**
 * `--allow-host` values: `name` (any port) or `name:port`; a value that is
 * not a host name is an error naming it.
 */
export function parseAddedHost(spec: string): HostEntry | { readonly problem: string } {
  const trimmed = spec.trim().toLowerCase()
  const parsed = parseHost(trimmed)
  if (!parsed) return { problem: `--allow-host ${JSON.stringify(spec)} is not a host name (name or name:port, e.g. opencode.example.com)` }
  return /:\d+$/.test(trimmed) ? parsed : { name: parsed.name }
}

/**
 * The names of a server bound to `hostname:port`: that address; on loopback
 * also `localhost` and `[::1]`; on every interface (`0.0.0.0`, `::`) each of
 * the machine's own addresses (`interfaces`) and the loopback names; then the
 * names the user added.
 */
export function hostAllowList(
  bound: { readonly hostname: string; readonly port: number },
  options: { readonly added?: ReadonlyArray<HostEntry>; readonly interfaces?: ReadonlyArray<string> } = {},
): HostAllowList {
  const names = new Set<string>([hostForm(bound.hostname)])
  if (isLoopback(bound.hostname) || isWildcard(bound.hostname)) {
    names.add("127.0.0.1")
    for (const name of LOOPBACK_NAMES) names.add(name)
  }
  if (isWildcard(bound.hostname)) for (const address of options.interfaces ?? []) names.add(hostForm(address))
  const added = options.added ?? []
  return { entries: [...[...names].map((name) => ({ name, port: bound.port })), ...added], added }
}

const matches = (entries: ReadonlyArray<HostEntry>, host: { name: string; port: number }) =>
  entries.some((e) => e.name === host.name && (e.port === undefined || e.port === host.port))

/** Is a request's `Host` header one of the list's names (on its port)? A missing or repeated header is not. */
export function allowsHost(list: HostAllowList, header: string | undefined): boolean {
  const host = header === undefined ? undefined : parseHost(header)
  return host !== undefined && matches(list.entries, host)
}

/**
 * Is an `Origin` one of the list's: `http://` and a listed name (a name the
 * user added may also be `https://`). `null` (a sandboxed frame, a file) and
 * anything with a path or credentials are not.
 */
export function allowsOrigin(list: HostAllowList, origin: string): boolean {
  const match = /^(https?):\/\/([^/?#@]+)$/.exec(origin.trim().toLowerCase())
  if (!match) return false
  const https = match[1] === "https"
  const host = parseHost(match[2]!, https ? 443 : 80)
  if (!host) return false
  return https ? matches(list.added, host) : matches(list.entries, host)
}

/** The list in words, for a refusal: `127.0.0.1:4096, localhost:4096, [::1]:4096`. */
export const describeHosts = (list: HostAllowList): string =>
  list.entries.map((e) => (e.port === undefined ? e.name : `${e.name}:${e.port}`)).join(", ")
