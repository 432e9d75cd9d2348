/**
 * The overlay's own secret rules (pure), for what secretlint's recommended
 * preset has no rule for: JWTs, authorization and API-key headers, `curl -u`
 * credentials, Google API keys, secrets assigned to a secret-like name (the
 * anchor is gitleaks' `generic-api-key`: a keyword in the name and a value of
 * Shannon entropy ≥ 3.5), connection strings of more databases and brokers,
 * Slack webhooks of every kind, and private keys whose lines are interleaved
 * with other text (numbered tool output). docs/redaction.md lists them with
 * the corpus they are measured on.
 *
 * Each rule has a cheap marker that every match contains; a text without one
 * skips the rule. Quotes may come escaped (`\"`): markers and patterns also
 * run on the runtime's JSON text.
 */
/** A secret found in a text: what to replace, by what, and its kind. */
export type Secret = {
  /** The text to replace, exactly as it appears. */
  readonly find: string
  readonly replace: string
  readonly kind: string
}

type Rule = {
  readonly kind: string
  /** Cheap: true for every text the pattern can match (regular expressions led by a literal scan fastest). */
  readonly marker: (text: string) => boolean
  /** Global; the secret is group 1 when there is one, else the whole match. */
  readonly pattern: RegExp
  /** A match that is not a secret after all (a placeholder, low entropy, …). */
  readonly reject?: (value: string) => boolean
  /** What replaces the match (default `[REDACTED:<kind>]` for the secret). */
  readonly replace?: (match: RegExpExecArray) => Secret | undefined
}

/** Shannon entropy of `text`, in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>()
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/** Values that stand for a secret without being one: `${TOKEN}`, `<your-key>`, `changeme`, `xxxxxxxx`, `[REDACTED:…]`. */
const PLACEHOLDER = /^(?:\$|<|%|\{\{|\[REDACTED|\*{3})|example|changeme|placeholder|your[-_]|x{6}/i

/** A path or a name made of lowercase segments (`prod/db/credentials`, `./keys/dev.pem`), not a secret. */
const PATH = /^[./~]|^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+$/

const GENERIC_NAME = String.raw`[A-Za-z0-9_.-]{0,40}(?:secret|token|passw(?:or)?d|pwd|api[-_]?key|access[-_]?key|private[-_]?key|auth[-_]?key|signing[-_]?key|encryption[-_]?key|client[-_]?secret|credentials?|_pat)[A-Za-z0-9_.-]{0,40}`

export const OVERLAY_RULES: ReadonlyArray<Rule> = [
  {
    kind: "jwt",
    marker: (text) => /eyJ/.test(text),
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  },
  {
    kind: "authorization-header",
    marker: (text) => /uthorization|UTHORIZATION/.test(text),
    pattern: /\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?(?:bearer|basic|token|digest|apikey)\s+([A-Za-z0-9._~+/=-]{8,})/gi,
    reject: (value) => PLACEHOLDER.test(value),
  },
  {
    kind: "api-key-header",
    marker: (text) => /-[kK][eE][yY]|-[tT][oO][kK][eE][nN]/.test(text),
    pattern: /\bx-(?:api|auth|access)-(?:key|token)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9._~+/=-]{12,})/gi,
    reject: (value) => PLACEHOLDER.test(value),
  },
  {
    kind: "password",
    marker: (text) => /curl/.test(text),
    pattern: /\bcurl\b[^\n]*?\s(?:-u|--user)(?:\s+|=)\\?["']?([^\s:"'\\]+):([^\s"'\\]+)/g,
    replace: (m) =>
      PLACEHOLDER.test(m[2]!) ? undefined : { find: `${m[1]}:${m[2]}`, replace: `${m[1]}:[REDACTED:password]`, kind: "password" },
  },
  {
    kind: "google-api-key",
    marker: (text) => /AIza/.test(text),
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    kind: "connection-string",
    // Only texts with a URL pay for the schemes (a third of the cost on a big session's export).
    marker: (text) => text.includes("://") && /(?:mongodb|redis|amqp|mysql|mariadb|postgres|mssql|sqlserver|clickhouse|rabbitmq)[a-z+]*:\/\//i.test(text),
    pattern: /\b(?:mongodb(?:\+srv)?|rediss?|amqps?|mysql|mariadb|postgres(?:ql)?|mssql|sqlserver|clickhouse|rabbitmq):\/\/[^:\s/@"']*:([^@\s/"']+)@/gi,
    replace: (m) => {
      if (PLACEHOLDER.test(m[1]!)) return undefined
      const at = m[0].length - m[1]!.length - 1
      return { find: m[0], replace: `${m[0].slice(0, at)}[REDACTED:password]@`, kind: "password" }
    },
  },
  {
    kind: "slack-webhook",
    marker: (text) => /hooks\.slack\.com/.test(text),
    // The preset has `/services/` (incoming webhooks); workflow and trigger webhooks are ours.
    pattern: /https:\/\/hooks\.slack\.com\/(?:workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g,
  },
  {
    kind: "private-key",
    marker: (text) => /PRIVATE KEY/.test(text),
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]{16,12000}?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g,
    replace: (m) => ({ find: m[0], replace: "[REDACTED:private-key]", kind: "private-key" }),
  },
  {
    kind: "generic-secret",
    // A keyword, then an assignment of a value: `"tokens":{…}` (in every step of the runtime's JSON) is not one.
    marker: (text) => /(?:secret|token|passw|pwd|key|_pat|credent)[A-Za-z0-9_.-]{0,40}\\?["']?\s*[:=]\s*\\?["']?[A-Za-z0-9+/_.~!@#$%^&*?-]/i.test(text),
    pattern: new RegExp(String.raw`(?<![A-Za-z0-9_.-])${GENERIC_NAME}\\?["']?[ \t]*[:=][ \t]*\\?["']?([A-Za-z0-9+/=_.~!@#$%^&*?-]{8,200})(?![A-Za-z0-9+/=_.~!@#$%^&*?-])`, "gi"),
    // Numbers, paths and low-entropy words (`PRIMARY_KEY=created_at`, `MAX_TOKENS=4096`) are settings, not secrets.
    reject: (value) => PLACEHOLDER.test(value) || /^[0-9.]+$/.test(value) || PATH.test(value) || entropy(value) < 3.5,
  },
]

/** Could `text` hold a secret of these rules? */
export const mayHoldRuleSecret = (text: string): boolean => OVERLAY_RULES.some((rule) => rule.marker(text))

/** The secrets these rules find in `text`. */
export function findRuleSecrets(text: string): Secret[] {
  const found: Secret[] = []
  for (const rule of OVERLAY_RULES) {
    if (!rule.marker(text)) continue
    rule.pattern.lastIndex = 0
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      if (rule.replace) {
        const secret = rule.replace(m)
        if (secret) found.push(secret)
        continue
      }
      const value = m[1] ?? m[0]
      if (rule.reject?.(value)) continue
      found.push({ find: value, replace: `[REDACTED:${rule.kind}]`, kind: rule.kind })
    }
  }
  return found
}
