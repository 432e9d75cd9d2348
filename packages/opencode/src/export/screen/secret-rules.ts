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
import { hasMarker, isNameChar, PATH, PLACEHOLDER, type Rule, type Secret } from "./rule.ts"
import { PASSWORD_RULES } from "./password-rules.ts"

export type { Rule, Secret } from "./rule.ts"

const asciiCounts = new Uint32Array(128)
const asciiOrder = new Uint8Array(128)

/**
 * Shannon entropy of `text`, in bits per character. Characters are summed in
 * the order they first appear (as a Map iterates), so the result is the same
 * to the last bit whichever way it is counted; ASCII text, what the rules'
 * values are, is counted in arrays rather than a Map (7× faster).
 */
export function entropy(text: string): number {
  let ascii = true
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 128
  let bits = 0
  if (ascii) {
    let distinct = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      const seen = asciiCounts[c]!
      asciiCounts[c] = seen + 1
      if (seen === 0) asciiOrder[distinct++] = c
    }
    for (let i = 0; i < distinct; i++) {
      const c = asciiOrder[i]!
      const p = asciiCounts[c]! / text.length
      bits -= p * Math.log2(p)
      asciiCounts[c] = 0
    }
    return bits
  }
  const counts = new Map<string, number>()
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1)
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

const GENERIC_KEYWORD = String.raw`(?:secret|token|passw(?:or)?d|pwd|api[-_]?key|access[-_]?key|private[-_]?key|auth[-_]?key|signing[-_]?key|encryption[-_]?key|client[-_]?secret|credentials?|_pat)`
const GENERIC_NAME = String.raw`[A-Za-z0-9_.-]{0,40}${GENERIC_KEYWORD}[A-Za-z0-9_.-]{0,40}`
const GENERIC_ASSIGNMENT = String.raw`${GENERIC_NAME}\\?["']?[ \t]*[:=][ \t]*\\?["']?([A-Za-z0-9+/=_.~!@#$%^&*?-]{8,200})(?![A-Za-z0-9+/=_.~!@#$%^&*?-])`
/** A name may start only where a run of name characters starts (the pattern's lookbehind). */
const GENERIC_PATTERN = new RegExp(String.raw`(?<![A-Za-z0-9_.-])${GENERIC_ASSIGNMENT}`, "gi")
const GENERIC_AT = new RegExp(String.raw`(?<![A-Za-z0-9_.-])${GENERIC_ASSIGNMENT}`, "iy")
const GENERIC_VALUE = String.raw`[A-Za-z0-9+/=_.~!@#$%^&*?-]`
/** `GENERIC_VALUE`'s characters, as a table (read off the class itself). */
const VALUE_CHARS = Uint8Array.from({ length: 128 }, (_, code) => (new RegExp(GENERIC_VALUE).test(String.fromCharCode(code)) ? 1 : 0))
/** A character of `GENERIC_VALUE`. */
const isGenericValueChar = (code: number): boolean => code < 128 && VALUE_CHARS[code] === 1

/** The Shannon entropy, in bits per character, a generic secret's value must reach (gitleaks' anchor). */
const MIN_ENTROPY = 3.5
/**
 * The shortest value that can reach it: a value of n characters has at most log2(n) bits per character (all
 * of them distinct), and log2(11) < 3.5 ≤ log2(12). The pattern takes values from 8 characters on; those of 8
 * to 11 are always rejected, so the search for secrets skips them (`genericMatches`).
 */
const MIN_SECRET_VALUE = Math.ceil(2 ** MIN_ENTROPY)

/**
 * Where the pattern can match, found from the assignment: a `:` or `=` followed by `min` to 200 characters of a
 * value (`[ \t]*\\?["']?` between, each step with one way to go on) and preceded by a keyword, the rest of
 * its run of name characters and `\\?["']?[ \t]*`. A scan for `:` and `=` is fast where one for the
 * keywords is not (a dozen words, either case: code names tokens on most lines), and most assignments in code
 * are of a call or a word (`token = await`), which the value's length rules out before the keyword is read.
 */
const assigned = (min: number) =>
  new RegExp(
    String.raw`[:=](?=[ \t]*\\?["']?${GENERIC_VALUE}{${min},200}(?!${GENERIC_VALUE}))(?<=${GENERIC_KEYWORD}[A-Za-z0-9_.-]*\\?["']?[ \t]*[:=])`,
    "gi",
  )
/** Assignments of values long enough to be a secret (most assignments in code are of shorter ones: `path.join`)… */
const GENERIC_ASSIGNED_SECRET = assigned(MIN_SECRET_VALUE)
/** …and of every value the pattern takes. */
const GENERIC_ASSIGNED = assigned(8)

/** The starts of the runs of name characters that end where `assignments` finds an assignment, in order. */
function assignedNameStarts(text: string, assignments: RegExp): number[] {
  const starts: number[] = []
  assignments.lastIndex = 0
  for (let a = assignments.exec(text); a; a = assignments.exec(text)) {
    // Back over `\\?["']?[ \t]*` (the one way the look-behind can have read it) to the name's run, and its start.
    let at = a.index
    while (at > 0 && (text.charCodeAt(at - 1) === 32 || text.charCodeAt(at - 1) === 9)) at--
    if (at > 0 && (text.charCodeAt(at - 1) === 34 || text.charCodeAt(at - 1) === 39)) at--
    if (at > 0 && text.charCodeAt(at - 1) === 92) at--
    let start = at
    while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--
    if (starts.at(-1) !== start) starts.push(start)
  }
  return starts
}

const isOperator = (code: number) => code === 58 || code === 61

/**
 * Could `at` lie inside the value of a match whose value is too short to be a secret (8 to 11 characters)?
 * Such a value starts at most 10 characters before `at`, all of them value characters, right after the
 * operator and `[ \t]*\\?["']?`; found by walking back, and erring on the side of yes (an `=` among them).
 */
function mayLieInShortValue(text: string, at: number): boolean {
  for (let start = at; start >= Math.max(0, at - (MIN_SECRET_VALUE - 2)); start--) {
    const before = text.charCodeAt(start - 1)
    if (isOperator(before)) return true
    let i = start
    if (before === 34 || before === 39) {
      i--
      if (text.charCodeAt(i - 1) === 92) i--
    }
    while (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9) i--
    if (i < start && isOperator(text.charCodeAt(i - 1))) return true
    if (!isGenericValueChar(before)) return false
  }
  return false
}

/**
 * `GENERIC_PATTERN`'s matches whose value is long enough to be a secret, found from the assignment: the
 * pattern tries every place a name could start (every identifier of a code line), up to 40 characters each,
 * for the keyword; a match can only start where a run of name characters holding a keyword starts, before an
 * assignment of a value, so those starts are found from the assignments, and the pattern is tried there alone
 * (sticky), in order, after the end of the last match. The same matches as `GENERIC_PATTERN.exec` in a loop,
 * less those of values shorter than `MIN_SECRET_VALUE` (test/export/secret-rules.test.ts compares them).
 *
 * Those shorter matches are not looked for, unless a start may lie inside one's value: the loop goes on after
 * a match's end, so a name inside a short value (`token=credentials:<secret>`) never starts a match there.
 */
function* genericMatches(text: string): Generator<RegExpExecArray> {
  let starts = assignedNameStarts(text, GENERIC_ASSIGNED_SECRET)
  if (starts.some((start) => mayLieInShortValue(text, start))) starts = assignedNameStarts(text, GENERIC_ASSIGNED)
  let end = 0
  for (const start of starts) {
    if (start < end) continue
    GENERIC_AT.lastIndex = start
    const m = GENERIC_AT.exec(text)
    if (!m) continue
    end = m.index + m[0].length
    if (m[1]!.length >= MIN_SECRET_VALUE) yield m
  }
}

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]{16,12000}?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g
const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g
/**
 * A key block whose END line never came (a paste cut short, a tool's output
 * truncated): the BEGIN line and every line after it that is key material
 * (base64, or a PEM header such as `Proc-Type: 4,ENCRYPTED`), numbered or not,
 * in raw text or the runtime's JSON text (`\n` escaped).
 */
const PRIVATE_KEY_CUT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:\r?\n|\\r\\n|\\n)[ \t]*(?:\d+[|:\t] ?)?(?:[A-Za-z0-9+/=]{16,}|[A-Z][A-Za-z-]+: [^\n\\]*|)[ \t]*(?=\r?\n|\\[rn]|$))+/y
const KEY_LINE = /[A-Za-z0-9+/=]{16,}/

/** Whole key blocks, then the BEGIN lines no block holds, with the key lines that follow them. */
function* privateKeys(text: string): Generator<RegExpExecArray> {
  let end = 0
  PRIVATE_KEY_BLOCK.lastIndex = 0
  const blocks: RegExpExecArray[] = []
  for (let m = PRIVATE_KEY_BLOCK.exec(text); m; m = PRIVATE_KEY_BLOCK.exec(text)) blocks.push(m)
  yield* blocks
  PRIVATE_KEY_BEGIN.lastIndex = 0
  for (let m = PRIVATE_KEY_BEGIN.exec(text); m; m = PRIVATE_KEY_BEGIN.exec(text)) {
    if (m.index < end || blocks.some((b) => m!.index >= b.index && m!.index < b.index + b[0].length)) continue
    PRIVATE_KEY_CUT.lastIndex = m.index
    const cut = PRIVATE_KEY_CUT.exec(text)
    if (!cut || !KEY_LINE.test(cut[0].slice(m[0].length))) continue
    end = cut.index + cut[0].length
    yield cut
  }
}

const NUMBER = /^[0-9.]+$/

export const OVERLAY_RULES: ReadonlyArray<Rule> = [
  {
    kind: "jwt",
    marker: /eyJ/,
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  },
  {
    kind: "authorization-header",
    marker: /uthorization|UTHORIZATION/,
    pattern: /\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?(?:bearer|basic|token|digest|apikey)\s+([A-Za-z0-9._~+/=-]{8,})/gi,
    reject: (value) => PLACEHOLDER.test(value),
  },
  {
    kind: "api-key-header",
    marker: /-[kK][eE][yY]|-[tT][oO][kK][eE][nN]/,
    pattern: /\bx-(?:api|auth|access)-(?:key|token)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9._~+/=-]{12,})/gi,
    reject: (value) => PLACEHOLDER.test(value),
  },
  {
    kind: "password",
    marker: /curl/,
    pattern: /\bcurl\b[^\n]*?\s(?:-u|--user)(?:\s+|=)\\?["']?([^\s:"'\\]+):([^\s"'\\]+)/g,
    replace: (m) =>
      PLACEHOLDER.test(m[2]!) ? undefined : { find: `${m[1]}:${m[2]}`, replace: `${m[1]}:[REDACTED:password]`, kind: "password" },
  },
  {
    kind: "google-api-key",
    marker: /AIza/,
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    kind: "connection-string",
    // Led by the "://" (the schemes are read behind it): a scan for a dozen schemes at every place was a third of
    // the cost of a big session's export.
    marker: /:\/\/(?<=(?:mongodb|redis|amqp|mysql|mariadb|postgres|mssql|sqlserver|clickhouse|rabbitmq)[a-z+]*:\/\/)/i,
    gate: "://",
    pattern: /\b(?:mongodb(?:\+srv)?|rediss?|amqps?|mysql|mariadb|postgres(?:ql)?|mssql|sqlserver|clickhouse|rabbitmq):\/\/[^:\s/@"']*:([^@\s/"']+)@/gi,
    replace: (m) => {
      if (PLACEHOLDER.test(m[1]!)) return undefined
      const at = m[0].length - m[1]!.length - 1
      return { find: m[0], replace: `${m[0].slice(0, at)}[REDACTED:password]@`, kind: "password" }
    },
  },
  {
    kind: "slack-webhook",
    marker: /hooks\.slack\.com/,
    // The preset has `/services/` (incoming webhooks); workflow and trigger webhooks are ours.
    pattern: /https:\/\/hooks\.slack\.com\/(?:workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g,
  },
  {
    kind: "private-key",
    marker: /PRIVATE KEY/,
    pattern: PRIVATE_KEY_BLOCK,
    matches: privateKeys,
    replace: (m) => ({ find: m[0], replace: "[REDACTED:private-key]", kind: "private-key" }),
  },
  {
    kind: "generic-secret",
    // A keyword, then an assignment of a value: `"tokens":{…}` (in every step of the runtime's JSON) is not one.
    // Led by the `:` or `=`, the name read behind it (as the rule's own search).
    marker: /[:=](?=\s*\\?["']?[A-Za-z0-9+/_.~!@#$%^&*?-])(?<=(?:secret|token|passw|pwd|key|_pat|credent)[A-Za-z0-9_.-]{0,40}\\?["']?\s*[:=])/i,
    pattern: GENERIC_PATTERN,
    matches: genericMatches,
    // Numbers, paths and low-entropy words (`PRIMARY_KEY=created_at`, `MAX_TOKENS=4096`) are settings, not secrets.
    // Entropy first: most names in code are assigned a word or a call, which it rules out alone.
    reject: (value) => entropy(value) < MIN_ENTROPY || PLACEHOLDER.test(value) || NUMBER.test(value) || PATH.test(value),
  },
  // After the generic rule, so that where both find a value its kind stands as it did.
  ...PASSWORD_RULES,
]

/** Could `text` hold a secret of these rules? */
export const mayHoldRuleSecret = (text: string): boolean => OVERLAY_RULES.some((rule) => hasMarker(rule, text))

function* allMatches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) yield m
}

/** The rules whose markers `text` holds: the only ones that can find something in it. */
export function ruleSecretsFor(text: string): ReadonlyArray<Rule> {
  let rules: Rule[] | undefined
  for (const rule of OVERLAY_RULES) if (hasMarker(rule, text)) (rules ??= []).push(rule)
  return rules ?? NO_RULES
}

const NO_RULES: ReadonlyArray<Rule> = []

/** The secrets these rules find in `text` (`rules`: those of `ruleSecretsFor(text)`, when known). */
export function findRuleSecrets(text: string, rules: ReadonlyArray<Rule> = ruleSecretsFor(text)): Secret[] {
  const found: Secret[] = []
  for (const rule of rules) {
    for (const m of rule.matches ? rule.matches(text) : allMatches(rule.pattern, text)) {
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
