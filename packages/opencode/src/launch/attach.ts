/**
 * Attaching to a server (`opencode attach <url>`, `opencode run --attach
 * <url>`): the session then lives on that server, which publishes by its own
 * config. Where the local policy says "disabled", the launcher asks the server
 * what guards it first: the overlay's server answers `/overlay/policy`; a
 * runtime's own server is safe only where its config says `"disabled"`.
 * Anything else is refused (exit 4) unless the user passes `--unguarded`.
 */
import type { Env } from "../config/env.ts"
import { describePolicy, type SharePolicy } from "../config/policy.ts"
import { optionArgs, optionValue, positionals } from "../runtime/args.ts"

export const UNGUARDED_FLAG = "--unguarded"

export type AttachRequest = {
  readonly url: string
  readonly username: string
  readonly password?: string
  /** The overlay's own `--unguarded` was given (and is taken out of the runtime's arguments). */
  readonly unguarded: boolean
  /** The arguments for the runtime, without `--unguarded`. */
  readonly argv: ReadonlyArray<string>
}

/** The server a command line attaches to, with the credentials it will use (pure). */
export function attachRequest(argv: ReadonlyArray<string>, env: Env): AttachRequest | undefined {
  const options = optionArgs(argv)
  const value = (...names: string[]) => optionValue(argv, ...names)
  const [command, target] = positionals(argv)
  const url = command === "attach" ? target : command === "run" ? value("--attach") : undefined
  if (!url) return undefined
  const password = value("-p", "--password") ?? env.OPENCODE_SERVER_PASSWORD
  const end = argv.indexOf("--")
  const cut = (args: ReadonlyArray<string>) => args.filter((a) => a !== UNGUARDED_FLAG)
  return {
    url,
    username: value("-u", "--username") ?? env.OPENCODE_SERVER_USERNAME ?? "opencode",
    ...(password ? { password } : {}),
    unguarded: options.includes(UNGUARDED_FLAG),
    argv: end === -1 ? cut(argv) : [...cut(argv.slice(0, end)), ...argv.slice(end)],
  }
}

/** What the server says guards it. */
export type ServerGuard =
  | { readonly kind: "overlay"; readonly mode: string }
  | { readonly kind: "runtime"; readonly share: string | undefined }
  /** It did not answer either question (down, another password): the runtime's attach will say so itself. */
  | { readonly kind: "unknown" }

const PROBE_TIMEOUT_MS = 5_000

/** Asks the server: the overlay's policy route first, then the runtime's merged config. */
export async function probeServer(request: AttachRequest): Promise<ServerGuard> {
  const headers: Record<string, string> = request.password
    ? { authorization: `Basic ${Buffer.from(`${request.username}:${request.password}`).toString("base64")}` }
    : {}
  const ask = async (path: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const answer = await fetch(new URL(path, request.url), { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      if (!answer.ok || !answer.headers.get("content-type")?.includes("json")) return undefined
      const body: unknown = await answer.json()
      return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }
  const overlay = await ask("/overlay/policy")
  if (typeof overlay?.mode === "string") return { kind: "overlay", mode: overlay.mode }
  const config = await ask("/config")
  if (config) return { kind: "runtime", share: typeof config.share === "string" ? config.share : undefined }
  return { kind: "unknown" }
}

/** Why attaching is refused under this policy, or `undefined` where it may go on (pure). */
export function attachRefusal(policy: SharePolicy, guard: ServerGuard, url: string): ReadonlyArray<string> | undefined {
  if (policy.mode !== "disabled" || guard.kind !== "runtime" || guard.share === "disabled") return undefined
  const says = guard.share === undefined ? 'says nothing about sharing (the runtime\'s default is "manual")' : `says "share": "${guard.share}"`
  return [
    `Sharing is ${describePolicy(policy)}, but ${url} is a runtime server the overlay does not guard, and its config ${says}: it may publish the sessions you work on there.`,
    `Start that server through the overlay (opencode serve) or set "share": "disabled" in its config; or pass ${UNGUARDED_FLAG} to attach anyway, at that risk.`,
    "Reading from it stays allowed: opencode export --attach <url> <sessionID>.",
  ]
}
