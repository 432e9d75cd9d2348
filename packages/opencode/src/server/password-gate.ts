/**
 * The server's password (`OPENCODE_SERVER_PASSWORD`, required off loopback):
 * HTTP basic auth on every route, any user name (as the runtime does), and a
 * limit on wrong guesses per client. Without the limit a server on the network
 * answered 75,000 wrong guesses in 3 seconds. Counting only failures, per
 * client, is a few lines here; a general rate limiter would count the app's
 * own requests too (it makes dozens a page).
 */
import type { Context, MiddlewareHandler } from "hono"
import { basicAuth } from "hono/basic-auth"
import { HTTPException } from "hono/http-exception"
import type { Server } from "bun"
import { TooManyPasswordGuesses } from "../http/errors.ts"
import { sameText } from "../http/same-text.ts"
import { httpError } from "./http-error.ts"

/** Wrong passwords a client may send in a window… */
export const GUESSES_PER_WINDOW = 10
/** …of this long (ms); past them it is refused until the window ends, even with the right password. */
export const GUESS_WINDOW_MS = 60_000
/**
 * Clients counted at once. Full of clients still in their window, a client not counted yet may not guess at all
 * until one's window ends: forgetting the oldest instead let a sender of many addresses guess without end.
 */
export const CLIENTS = 4096

type Tally = { readonly start: number; wrong: number }

/**
 * Who is counted: one address, except where one sender has many. All of loopback is one (a program here may send
 * from any 127.x address), and IPv6 counts by its /64 (what one network is given).
 */
export function clientOf(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1]
  const v4 = mapped ?? (/^\d+\.\d+\.\d+\.\d+$/.test(bare) ? bare : undefined)
  if (v4 !== undefined) return v4.startsWith("127.") ? "127.0.0.0/8" : v4
  if (!bare.includes(":")) return bare
  if (bare === "::1") return "127.0.0.0/8"
  const [head = "", tail] = bare.split("::")
  const left = head === "" ? [] : head.split(":")
  const right = tail === undefined || tail === "" ? [] : tail.split(":")
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`
}

/** The client's address, from Bun's server (the app's `env`); one shared key where there is none (a test's `app.request`). */
function addressOf(c: Context): string {
  const server = c.env as Server<unknown> | undefined
  return server?.requestIP?.(c.req.raw)?.address ?? "unknown"
}

export function passwordGate(password: string, options: { readonly now?: () => number; readonly clients?: number } = {}): MiddlewareHandler {
  const now = options.now ?? Date.now
  const capacity = options.clients ?? CLIENTS
  const tallies = new Map<string, Tally>()
  const auth = basicAuth({
    realm: "opencode",
    verifyUser: (_username, given) => sameText(given, password),
    invalidUserMessage: { error: "unauthorized", message: "This server needs the password set in OPENCODE_SERVER_PASSWORD." },
  })
  const refuse = (client: string, retryAfter: number) => {
    const refused = httpError(
      new TooManyPasswordGuesses({ message: `Too many wrong passwords from ${client}: try again in ${retryAfter} s.`, retryAfter }),
    ).getResponse()
    refused.headers.set("retry-after", String(retryAfter))
    return refused
  }
  return async (c, next) => {
    const client = clientOf(addressOf(c))
    const at = now()
    let tally = tallies.get(client)
    if (tally && at - tally.start >= GUESS_WINDOW_MS) {
      tallies.delete(client)
      tally = undefined
    }
    if (tally && tally.wrong >= GUESSES_PER_WINDOW) return refuse(client, Math.ceil((tally.start + GUESS_WINDOW_MS - at) / 1000))
    // A request without credentials is the browser asking for the prompt, not a guess.
    const guessing = c.req.header("authorization") !== undefined
    if (!tally && guessing && tallies.size >= capacity) {
      // Oldest first (a tally is made when its window starts): those whose window ended make room.
      for (const [key, old] of tallies) {
        if (at - old.start < GUESS_WINDOW_MS) break
        tallies.delete(key)
      }
      const oldest = tallies.values().next().value
      if (tallies.size >= capacity && oldest) return refuse(client, Math.ceil((oldest.start + GUESS_WINDOW_MS - at) / 1000))
    }
    try {
      await auth(c, next)
    } catch (error) {
      if (error instanceof HTTPException && error.status === 401 && guessing) {
        if (!tally) tallies.set(client, (tally = { start: at, wrong: 0 }))
        tally.wrong++
      }
      throw error
    }
  }
}
