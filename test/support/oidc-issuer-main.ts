/**
 * A real OpenID Connect provider for the tests (`oidc-provider`, the certified
 * implementation), run as a process of its own on loopback. Its development
 * sign-in page takes any login and password; the login is the account, and
 * its e-mail (verified, unless the login starts with `unverified.`) is the login itself. Arguments: port, client id,
 * client secret, redirect URI. Prints "issuer <url>" once it listens.
 */
import Provider from "oidc-provider"

const [portText, clientId, clientSecret, redirectUri] = process.argv.slice(2)
if (!portText || !clientId || !clientSecret || !redirectUri) {
  process.stderr.write("usage: oidc-issuer-main.ts <port> <client id> <client secret> <redirect uri>\n")
  process.exit(2)
}
const issuer = `http://127.0.0.1:${portText}`
const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    // A login starting with `unverified.` is an e-mail the provider does not say it verified (no claim at all, as some send).
    claims: async () => (sub.startsWith("unverified.") ? { sub, email: sub } : { sub, email: sub, email_verified: true }),
  }),
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  scopes: ["openid", "email"],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["test-only-cookie-key"] },
})
// Plain http on loopback in a test: the provider otherwise insists on TLS for its cookies.
provider.proxy = true
const server = provider.listen(Number(portText), "127.0.0.1", () => process.stdout.write(`issuer ${issuer}\n`))
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)))
