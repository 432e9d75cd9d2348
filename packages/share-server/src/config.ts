/**
 * The share server's settings (pure): from its flags, each also from the
 * environment (`OPENCODE_SHARE_SERVER_*`), with defaults a team can start
 * with: loopback, port 4097, a SQLite file in the overlay's data folder
 * (`$XDG_DATA_HOME/opencode-local-overlay/share-server.db`),
 * shares that expire after 30 days. Gives the settings, or what is wrong.
 */
import { join } from "node:path"
import { overlayDataDir } from "@local/opencode/paths"

export type ServerConfig = {
  readonly hostname: string
  readonly port: number
  /** The SQLite file, or a PostgreSQL URL (`postgres://…`) for several instances on one database. */
  readonly database: string
  /** The root of the host links are made from (`<publicUrl>/share/<id>`); unset, where the server listens. */
  readonly publicUrl: string | undefined
  /** Administrators, by e-mail: they may take any share down (`shares remove`, and later the API). */
  readonly admins: ReadonlyArray<string>
  /** Members' e-mail domain, when only one may publish and read. */
  readonly allowEmailDomain: string | undefined
  /** How long a share stays up unless its publisher says otherwise. */
  readonly expiryMs: number
  /** The largest request body taken (413 beyond). */
  readonly maxBodyBytes: number
  /** Requests a member may make per minute (429 beyond), counted in the database. */
  readonly requestsPerMinute: number
  /** The most one share may hold, in bytes of stored JSON (413 for a sync beyond). */
  readonly maxShareBytes: number
  /** Sign-in with OpenID Connect (members' browsers, and `opencode share login` without a token); none: tokens only. */
  readonly oidc: OidcSettings | undefined
}

export type OidcSettings = {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
}

export type ConfigInput = {
  readonly hostname?: string
  readonly port?: string
  readonly database?: string
  readonly publicUrl?: string
  readonly admin?: ReadonlyArray<string>
  readonly allowEmailDomain?: string
  readonly expires?: string
  readonly maxBody?: string
  readonly rateLimit?: string
  readonly maxShare?: string
  readonly oidcIssuer?: string
  readonly oidcClientId?: string
  readonly oidcClientSecret?: string
}

export const DEFAULT_PORT = 4097
export const DEFAULT_EXPIRY = "30d"
export const DEFAULT_MAX_BODY = 16 * 1024 * 1024
export const DEFAULT_RATE = 600
export const DEFAULT_MAX_SHARE = 1024 * 1024 * 1024

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
/** The longest a share may be kept up. */
export const MAX_EXPIRY_MS = 366 * 86_400_000

/** A duration such as `30s`, `90m`, `12h`, `7d`, `2w`, in ms; undefined when it is not one or is over a year. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,8})\s*([smhdw])$/i.exec(text.trim())
  if (!m) return undefined
  const ms = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!
  return ms > 0 && ms <= MAX_EXPIRY_MS ? ms : undefined
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function serverConfig(input: ConfigInput, env: NodeJS.ProcessEnv): { readonly config: ServerConfig } | { readonly problem: string } {
  const pick = (flag: string | undefined, name: string) => flag ?? (env[`OPENCODE_SHARE_SERVER_${name}`] || undefined)
  const hostname = pick(input.hostname, "HOSTNAME") ?? "127.0.0.1"
  const portText = pick(input.port, "PORT") ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) return { problem: `--port must be a port number (0 to 65535), not "${portText}"` }

  const database = pick(input.database, "DATABASE") ?? join(overlayDataDir(env), "share-server.db")
  if (/^postgres(ql)?:\/\//i.test(database)) {
    try {
      new URL(database)
    } catch {
      return { problem: "--database: not a PostgreSQL URL (postgres://user:password@host:5432/database)" }
    }
  }

  const publicText = pick(input.publicUrl, "PUBLIC_URL")
  let publicUrl: string | undefined
  if (publicText !== undefined) {
    let url: URL
    try {
      url = new URL(publicText)
    } catch {
      return { problem: `--public-url "${publicText}" is not a URL` }
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: "--public-url must be an http or https URL" }
    // The runtime's import takes links at the root of their host only.
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password)
      return { problem: `--public-url must be the root of a host (links are <public-url>/share/<id>), not "${publicText}"` }
    publicUrl = url.origin
  }

  const admins = [...(input.admin ?? []), ...(env.OPENCODE_SHARE_SERVER_ADMINS ?? "").split(",")].map((a) => a.trim().toLowerCase()).filter(Boolean)
  const badAdmin = admins.find((a) => !EMAIL.test(a))
  if (badAdmin) return { problem: `--admin "${badAdmin}" is not an e-mail address` }

  const domain = pick(input.allowEmailDomain, "ALLOW_EMAIL_DOMAIN")?.trim().toLowerCase().replace(/^@/, "")
  if (domain !== undefined && !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) return { problem: `--allow-email-domain "${domain}" is not a domain` }

  const expiresText = pick(input.expires, "EXPIRES") ?? DEFAULT_EXPIRY
  const expiryMs = parseDuration(expiresText)
  if (expiryMs === undefined) return { problem: `--expires "${expiresText}" must be a duration of at most a year: 90m, 12h, 30d, 2w` }

  const bodyText = pick(input.maxBody, "MAX_BODY") ?? String(DEFAULT_MAX_BODY)
  const maxBodyBytes = Number(bodyText)
  if (!/^\d+$/.test(bodyText) || maxBodyBytes < 1024) return { problem: `--max-body must be a number of bytes, at least 1024, not "${bodyText}"` }

  const rateText = pick(input.rateLimit, "RATE_LIMIT") ?? String(DEFAULT_RATE)
  const requestsPerMinute = Number(rateText)
  if (!/^\d+$/.test(rateText) || requestsPerMinute < 1) return { problem: `--rate-limit must be a number of requests per minute, at least 1, not "${rateText}"` }

  const shareText = pick(input.maxShare, "MAX_SHARE") ?? String(DEFAULT_MAX_SHARE)
  const maxShareBytes = Number(shareText)
  if (!/^\d+$/.test(shareText) || maxShareBytes < maxBodyBytes) return { problem: `--max-share must be a number of bytes, at least --max-body (${maxBodyBytes}), not "${shareText}"` }

  const issuerText = pick(input.oidcIssuer, "OIDC_ISSUER")
  const clientId = pick(input.oidcClientId, "OIDC_CLIENT_ID")
  const clientSecret = pick(input.oidcClientSecret, "OIDC_CLIENT_SECRET")
  let oidc: OidcSettings | undefined
  if (issuerText !== undefined || clientId !== undefined || clientSecret !== undefined) {
    if (issuerText === undefined || clientId === undefined || clientSecret === undefined)
      return { problem: "sign-in needs all three of --oidc-issuer, --oidc-client-id and --oidc-client-secret" }
    // Membership is the e-mail's domain: without one, every account of the provider (any Google account, with Google's) would be a member.
    if (domain === undefined)
      return { problem: "sign-in (--oidc-issuer) needs --allow-email-domain: without it, every account the provider has would be a member" }
    let issuer: URL
    try {
      issuer = new URL(issuerText)
    } catch {
      return { problem: `--oidc-issuer "${issuerText}" is not a URL` }
    }
    const loopback = issuer.hostname === "127.0.0.1" || issuer.hostname === "localhost" || issuer.hostname === "[::1]"
    if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && loopback))
      return { problem: `--oidc-issuer must be https (plain http only on loopback, for testing), not "${issuerText}"` }
    oidc = { issuer: issuer.href.replace(/\/$/, ""), clientId, clientSecret }
  }

  return {
    config: { hostname, port, database, publicUrl, admins, allowEmailDomain: domain, expiryMs, maxBodyBytes, requestsPerMinute, maxShareBytes, oidc },
  }
}

/** Whether `email` may be a member under `config` (its domain, when one is set). */
export const allowedEmail = (config: Pick<ServerConfig, "allowEmailDomain">, email: string): boolean =>
  EMAIL.test(email) && (config.allowEmailDomain === undefined || email.toLowerCase().endsWith(`@${config.allowEmailDomain}`))
