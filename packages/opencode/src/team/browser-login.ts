/**
 * `opencode share login <server>` without a token: the member signs in with
 * the team's identity provider in a browser, allows opencode on the server's
 * page, and the server sends a new member token to a listener here, on
 * 127.0.0.1, for this one sign-in (the page shows the code printed here,
 * `login-code.ts`, so a link someone else made is told apart). The listener answers only its own address
 * as `Host`, only `/callback`, and only with the state it made (so another
 * page cannot hand it a token of someone else's choosing); it closes after.
 */
import { randomBytes } from "node:crypto"
import * as Effect from "effect/Effect"
import { sameText } from "../http/same-text.ts"
import { TeamSignInFailed } from "./errors.ts"
import { loginCode } from "./login-code.ts"

const WAIT_MS = 5 * 60_000

const page = (title: string, text: string) =>
  new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" },
  })


/** Opens `url` in the desktop's browser where there is one; quietly nothing where there is not. */
function openBrowser(url: string): void {
  const command =
    process.platform === "darwin" ? ["open", url] : process.platform === "win32" ? ["cmd", "/c", "start", "", url] : process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? ["xdg-open", url] : undefined
  if (!command) return
  try {
    Bun.spawn(command, { stdin: "ignore", stdout: "ignore", stderr: "ignore" }).unref()
  } catch {
    // No opener: the address printed is enough.
  }
}

/** The member token the server sends back once the member allowed it in the browser. */
export const browserLogin = (origin: string, options: { readonly open: boolean; readonly say: (line: string) => void; readonly waitMs?: number }): Effect.Effect<string, TeamSignInFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const state = randomBytes(24).toString("base64url")
      let settle: (token: string) => void = () => {}
      const received = new Promise<string>((resolve) => (settle = resolve))
      let host = ""
      const server = yield* Effect.acquireRelease(
        Effect.sync(() =>
          Bun.serve({
            hostname: "127.0.0.1",
            port: 0,
            fetch: (request) => {
              if (request.headers.get("host") !== host) return new Response("wrong host", { status: 421 })
              const url = new URL(request.url)
              if (request.method !== "GET" || url.pathname !== "/callback") return new Response("not found", { status: 404 })
              const token = url.searchParams.get("token") ?? ""
              if (!sameText(url.searchParams.get("state") ?? "", state) || !/^[\x21-\x7e]{8,512}$/.test(token))
                return page("Not this sign-in", "This answer was not for the opencode share login that is waiting. Start it again.")
              settle(token)
              return page("Signed in", "opencode has its member token. You can close this tab and go back to the terminal.")
            },
          }),
        ),
        // Gracefully: the browser's request that brought the token still gets its page.
        (s) => Effect.promise(() => s.stop(false)),
      )
      host = `127.0.0.1:${server.port}`
      const url = `${origin}/auth/cli?port=${server.port}&state=${state}`
      options.say(`Sign in to ${origin} in a browser, and allow opencode there if the page shows the code ${loginCode(state)}:\n  ${url}`)
      if (options.open) openBrowser(url)
      const waitMs = options.waitMs ?? WAIT_MS
      const token = yield* Effect.promise(() => Promise.race([received, Bun.sleep(waitMs).then(() => undefined)]))
      if (token === undefined)
        return yield* new TeamSignInFailed({ origin, message: `No sign-in came back from ${origin} within ${Math.round(waitMs / 60_000)} minutes. Run opencode share login ${origin} again, or give --token.` })
      return token
    }),
  )
