/**
 * A team share server's address as the user gives it (pure): its origin, the
 * key its credential is kept under. Only http(s), and only the root of a
 * host (the runtime's links are `<origin>/share/<id>`); plain http only on
 * loopback, where nothing crosses a network.
 */
export function teamOrigin(text: string): { readonly origin: string } | { readonly problem: string } {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return { problem: `"${text}" is not a URL (give the share server's address, as https://share.example.com)` }
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: `"${text}" is not an http or https URL` }
  if (url.username || url.password) return { problem: "the address must not carry a user name or password: give the token with --token" }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]"
  if (url.protocol === "http:" && !loopback) return { problem: `${url.origin} is plain http: a member token must not cross a network unencrypted (use https)` }
  if (url.pathname !== "/") return { problem: `give the server's root (${url.origin}), not a path on it` }
  return { origin: url.origin }
}
