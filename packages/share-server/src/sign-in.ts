/**
 * Members signing in with OpenID Connect (any standard issuer: Keycloak,
 * Okta, Entra ID, Google Workspace, Dex), through `openid-client`: the
 * authorization code flow with PKCE, state and nonce, the ID token checked by
 * the library. A member (an e-mail the server allows, verified where the
 * issuer says) gets a browser session (an HttpOnly cookie; the server keeps
 * its hash), with which shares can be read, never written: writing needs a
 * member token, sent as a header, so a page elsewhere cannot make a signed-in
 * browser publish or revoke.
 *
 * `opencode share login <server>` without a token comes through here too: a
 * signed-in member allows it on a page (a form with a token of this session),
 * and the server sends a new member token to the CLI's listener on the
 * member's own machine (`http://127.0.0.1:<port>/callback`, loopback only).
 */
import { createHmac } from "node:crypto"
import { loginCode } from "@local/opencode/login-code"
import { sameText } from "@local/opencode/same-text"
import { Hono, type Context as HonoContext } from "hono"
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie"
import * as Effect from "effect/Effect"
import * as client from "openid-client"
import { allowedEmail, type OidcSettings, type ServerConfig } from "./config.ts"
import { messagePage } from "./page.ts"
import type { ShareStore } from "./store.ts"

export const SESSION_COOKIE = "ocs_session"
const FLOW_COOKIE = "ocs_signin"
/** How long a browser stays signed in. */
const SESSION_MS = 12 * 3_600_000
/** How long a sign-in may take at the issuer. */
const FLOW_MS = 10 * 60_000

type Flow = { readonly verifier: string; readonly state: string; readonly nonce: string; readonly next: string; readonly at: number }

export type SignInDeps = {
  readonly config: ServerConfig
  readonly oidc: OidcSettings
  readonly store: ShareStore["Service"]
  /** This server's public origin: the redirect URI is `<origin>/auth/callback`. */
  readonly origin: () => string
  readonly now: () => number
  /** Records who signed in, and tokens issued to the CLI. */
  readonly audit: (actor: string, action: string, detail: string | null) => Promise<void>
}

/** Where a sign-in may send the browser back to: a path on this server, never another host (`//evil`, `/\evil`). */
export const safeNext = (next: string | undefined): string => (next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/")

/** A loopback port the CLI listens on. */
const cliPort = (text: string | undefined) => (text && /^\d{4,5}$/.test(text) && Number(text) >= 1024 && Number(text) <= 65535 ? Number(text) : undefined)
const cliState = (text: string | undefined) => (text && /^[A-Za-z0-9_-]{16,128}$/.test(text) ? text : undefined)

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function signInRoutes(deps: SignInDeps): Hono {
  const app = new Hono()
  const secure = () => deps.origin().startsWith("https:")
  const key = () => Effect.runPromise(deps.store.signingKey())
  let configuration: Promise<client.Configuration> | undefined
  /** The issuer's metadata, discovered once (again after a failure). */
  const issuer = () => {
    configuration ??= client
      .discovery(new URL(deps.oidc.issuer), deps.oidc.clientId, deps.oidc.clientSecret, undefined, {
        // Plain http is accepted for an issuer on loopback only (config.ts refuses it elsewhere): a test's issuer.
        ...(deps.oidc.issuer.startsWith("http:") ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        configuration = undefined
        throw error
      })
    return configuration
  }
  const unavailable = (c: HonoContext, error: unknown) => {
    process.stderr.write(`opencode share-server: sign-in: ${error instanceof Error ? error.message : String(error)}\n`)
    return c.html(messagePage("Sign-in is not available", "The sign-in provider could not be reached or refused this server. Try again later; the server's log says why."), 502)
  }
  /** The CSRF token of a signed-in browser's forms: an HMAC of its session under the server's key. */
  const formToken = async (session: string) => createHmac("sha256", await key()).update(`cli-form:${session}`).digest("hex")

  app.get("/auth/login", async (c) => {
    let config: client.Configuration
    try {
      config = await issuer()
    } catch (error) {
      return unavailable(c, error)
    }
    const flow: Flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      next: safeNext(c.req.query("next")),
      at: deps.now(),
    }
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${deps.origin()}/auth/callback`,
      scope: "openid email",
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    })
    await setSignedCookie(c, FLOW_COOKIE, JSON.stringify(flow), await key(), {
      httpOnly: true,
      secure: secure(),
      sameSite: "Lax",
      path: "/auth",
      maxAge: FLOW_MS / 1000,
    })
    return c.redirect(url.href, 302)
  })

  app.get("/auth/callback", async (c) => {
    const raw = await getSignedCookie(c, await key(), FLOW_COOKIE)
    deleteCookie(c, FLOW_COOKIE, { path: "/auth" })
    let flow: Flow | undefined
    try {
      flow = typeof raw === "string" ? (JSON.parse(raw) as Flow) : undefined
    } catch {
      flow = undefined
    }
    if (!flow || deps.now() - flow.at > FLOW_MS) return c.html(messagePage("Sign in again", "This sign-in was not started here, or took too long."), 400)
    let claims: { readonly email?: unknown; readonly email_verified?: unknown } | undefined
    try {
      const config = await issuer()
      // The URL the issuer sent the browser to, on this server's public origin (a proxy may have rewritten the request's).
      const current = new URL(`${deps.origin()}/auth/callback${new URL(c.req.url).search}`)
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      })
      const id = tokens.claims()
      // Many issuers put the e-mail and whether they verified it in the ID token; others (by the standard's default) only in userinfo.
      claims =
        !id || (typeof id.email === "string" && id.email_verified !== undefined)
          ? (id as typeof claims)
          : await client.fetchUserInfo(config, tokens.access_token, id.sub)
    } catch (error) {
      process.stderr.write(`opencode share-server: sign-in refused: ${error instanceof Error ? error.message : String(error)}\n`)
      return c.html(messagePage("Sign-in failed", "The sign-in provider's answer could not be accepted. Sign in again."), 400)
    }
    const email = typeof claims?.email === "string" ? claims.email.toLowerCase() : undefined
    // Membership is the e-mail's domain, so only an address the provider says it verified counts: some let a user
    // or a tenant's administrator set any address, unverified ("nOAuth"). Some send `"true"` as a string.
    if (!email || (claims?.email_verified !== true && claims?.email_verified !== "true"))
      return c.html(messagePage("Members only", "Your sign-in carries no verified e-mail address, which this server needs to know you are a member."), 403)
    if (!allowedEmail(deps.config, email)) {
      await deps.audit(email, "sign-in refused", "not of the allowed domain")
      // messagePage escapes its text.
      return c.html(messagePage("Members only", `${email} is not of the domain this server's members have.`), 403)
    }
    const now = deps.now()
    const session = await Effect.runPromise(deps.store.openSession(email, now, now + SESSION_MS))
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, secure: secure(), sameSite: "Lax", path: "/", maxAge: SESSION_MS / 1000 })
    await deps.audit(email, "sign-in", null)
    return c.redirect(safeNext(flow.next), 302)
  })

  app.post("/auth/logout", async (c) => {
    const session = getCookie(c, SESSION_COOKIE)
    if (session) await Effect.runPromise(deps.store.closeSession(session))
    deleteCookie(c, SESSION_COOKIE, { path: "/" })
    return c.html(messagePage("Signed out", "You are signed out of this share server."))
  })

  /** The signed-in member of this browser, or undefined. */
  const member = async (c: HonoContext) => {
    const session = getCookie(c, SESSION_COOKIE)
    return session ? { session, email: await Effect.runPromise(deps.store.sessionMember(session, deps.now())) } : undefined
  }

  // `opencode share login`: the page asking the member to allow a token for the CLI on their machine.
  app.get("/auth/cli", async (c) => {
    const port = cliPort(c.req.query("port"))
    const state = cliState(c.req.query("state"))
    if (!port || !state) return c.html(messagePage("Not a sign-in link", "Open the address opencode share login printed, whole."), 400)
    const who = await member(c)
    if (!who?.email) return c.redirect(`/auth/login?next=${encodeURIComponent(`/auth/cli?port=${port}&state=${state}`)}`, 302)
    const form = await formToken(who.session)
    return c.html(
      // The server's pages send no referrer, under which a browser's form posts `Origin: null`; this one form posts its own origin.
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>Allow opencode</title></head><body>` +
        `<h1>Allow opencode on your computer?</h1>` +
        `<p>opencode share login asks for a member token of this share server, for <strong>${escape(who.email)}</strong>. ` +
        `It will be kept on your computer, readable by you alone, and lets opencode publish and read shares as you.</p>` +
        // A link someone else made would send the token to their listener: the code tells the member's own from it.
        `<p>Allow only if you just ran <code>opencode share login</code> and it shows the code <strong id="code">${loginCode(state)}</strong>. ` +
        `The token goes to port ${port} of this computer.</p>` +
        `<form method="post" action="/auth/cli"><input type="hidden" name="port" value="${port}"><input type="hidden" name="state" value="${escape(state)}">` +
        `<input type="hidden" name="form" value="${form}"><button type="submit">Allow</button></form></body></html>`,
    )
  })

  app.post("/auth/cli", async (c) => {
    const body = await c.req.parseBody()
    const port = cliPort(typeof body.port === "string" ? body.port : undefined)
    const state = cliState(typeof body.state === "string" ? body.state : undefined)
    const who = await member(c)
    if (!who?.email) return c.html(messagePage("Members only", "Sign in first."), 401)
    const expected = await formToken(who.session)
    const given = typeof body.form === "string" ? body.form : ""
    // Only this server's own page, in this browser's session, can ask (a page elsewhere cannot know the form's token).
    if (!port || !state || !sameText(given, expected))
      return c.html(messagePage("Not allowed", "This request did not come from this server's page."), 403)
    const made = await Effect.runPromise(deps.store.createToken(who.email, "sign-in (opencode share login)"))
    await deps.audit(who.email, "token create", `${made.id} for opencode share login`)
    // Loopback only: the token goes to the CLI on the machine of the browser that allowed it.
    return c.redirect(`http://127.0.0.1:${port}/callback?state=${encodeURIComponent(state)}&token=${encodeURIComponent(made.token)}`, 303)
  })

  return app
}
