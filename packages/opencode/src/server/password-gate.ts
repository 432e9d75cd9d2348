/**
 * The server's password (`OPENCODE_SERVER_PASSWORD`, required off loopback):
 * HTTP basic auth on every route, any user name (as the runtime does), and a
 * limit on wrong guesses per client address. Without the limit a server on
 * the network answered 75,000 wrong guesses in 3 seconds. Counting only
 * failures, per address, is a few lines here; a general rate limiter would
 * count the app's own requests too (it makes dozens a page).
 */
import type { Context, MiddlewareHandler } from "hono"
import { basicAuth } from "hono/basic-auth"
import { HTTPException } from "hono/http-exception"
import type { Server } from "bun"
import { TooManyPasswordGuesses } from "../http/errors.ts"
import { sameText } from "../http/same-text.ts"
import { httpError } from "./http-error.ts"

/** Wrong passwords an address may send in a window… */
export const GUESSES_PER_WINDOW = 10
/** …of this long (ms); past them it is refused until the window ends, even with the right password. */
export const GUESS_WINDOW_MS = 60_000
/** Addresses remembered at most: a flood of them forgets the oldest, never grows without end. */
const ADDRESSES = 4096

type Tally = { start: number; wrong: number }

/** The client's address, from Bun's server (the app's `env`); one shared key where there is none (a test's `app.request`). */
function addressOf(c: Context): string {
  const server = c.env as Server<unknown> | undefined
  return server?.requestIP?.(c.req.raw)?.address ?? "unknown"
}

export function passwordGate(password: string, now: () => number = Date.now): MiddlewareHandler {
  const tallies = new Map<string, Tally>()
  const auth = basicAuth({
    realm: "opencode",
    verifyUser: (_username, given) => sameText(given, password),
    invalidUserMessage: { error: "unauthorized", message: "This server needs the password set in OPENCODE_SERVER_PASSWORD." },
  })
  return async (c, next) => {
    const address = addressOf(c)
    const at = now()
    let tally = tallies.get(address)
    if (tally && at - tally.start >= GUESS_WINDOW_MS) {
      tallies.delete(address)
      tally = undefined
    }
    if (tally && tally.wrong >= GUESSES_PER_WINDOW) {
      const retryAfter = Math.ceil((tally.start + GUESS_WINDOW_MS - at) / 1000)
      const refused = httpError(
        new TooManyPasswordGuesses({ message: `Too many wrong passwords from ${address}: try again in ${retryAfter} s.`, retryAfter }),
      ).getResponse()
      refused.headers.set("retry-after", String(retryAfter))
      return refused
    }
    try {
      await auth(c, next)
    } catch (error) {
      // A request without credentials is the browser asking for the prompt, not a guess.
      if (error instanceof HTTPException && error.status === 401 && c.req.header("authorization") !== undefined) {
        if (!tally) {
          if (tallies.size >= ADDRESSES) tallies.delete(tallies.keys().next().value!)
          tallies.set(address, (tally = { start: at, wrong: 0 }))
        }
        tally.wrong++
      }
      throw error
    }
  }
}
