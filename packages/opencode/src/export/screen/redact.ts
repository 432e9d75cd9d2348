/**
 * Redaction of secrets and of the home directory (pure: no I/O; the rule set
 * is loaded on first use).
 *
 * Secrets are found by secretlint's recommended preset (maintained upstream;
 * AWS access key ids included), and each finding becomes
 * `[REDACTED:<kind>]`; a password inside a URL is replaced on its own, so
 * the rest of the URL stays readable.
 *
 * Speed: the preset's rules run directly (`preset.ts`, without
 * `@secretlint/core`'s per-call machinery, about 100 µs a call). Every rule of the preset needs
 * a literal marker in what it matches (`ghp_`, `PRIVATE KEY`,
 * `postgres://`, `SECRET_ACCESS_KEY`, …): `preset.ts` has each rule's marker;
 * a text without any cannot hold a finding and skips the preset
 * entirely (`test/export/redact.test.ts` checks a sample secret of every
 * rule). Long texts are linted only in windows around the markers; every
 * pattern of the preset spans less than a window.
 */
import { loadPreset, markerPositions, mayHoldPresetSecret, PRESET_MARKERS, presetRulesFor, type PresetReport } from "./preset.ts"
import { decodedText, decodeEscapes, escapedLines, escapedSecrets, hasEscapes } from "./escapes.ts"
import { findRuleSecrets, mayHoldRuleSecret, OVERLAY_RULES, ruleSecretsFor, type Rule, type Secret } from "./secret-rules.ts"

/** The rule set, as exports name it: the preset, and the overlay's rules (`secret-rules.ts`, docs/redaction.md). */
export const RULE_SET = "@secretlint/secretlint-rule-preset-recommend@13.0.7 + overlay rules 2"

const mayHoldPlainSecret = (text: string): boolean => mayHoldPresetSecret(text) || mayHoldRuleSecret(text)

/** Could `text` (raw, or the runtime's JSON) hold a secret the preset or the overlay's rules find, plain or escaped? */
export const mayHoldSecret = (text: string): boolean =>
  mayHoldPlainSecret(text) || (hasEscapes(text) && mayHoldPlainSecret(decodedText(text)))

/**
 * The rules whose markers a text holds, and whether it holds an escape, read once: what `findSecrets` runs
 * on it. A text that holds neither needs nothing (`needsSearch`); one that does is not read again for them.
 */
export type SecretPlan = { readonly preset: ReadonlySet<string>; readonly rules: ReadonlyArray<Rule>; readonly escapes: boolean }

const NO_RULES: ReadonlySet<string> = new Set()
const NO_PLAN: SecretPlan = { preset: NO_RULES, rules: [], escapes: false }
const ESCAPES_ONLY: SecretPlan = { preset: NO_RULES, rules: [], escapes: true }

/** Texts up to this long are first read against every marker at once. */
const SHORT_TEXT = 256
function anyOf(patterns: ReadonlyArray<RegExp>, flags: string): RegExp {
  // Joined, a pattern keeps its meaning only with the same flags: markers have none but `i`.
  const odd = patterns.filter((p) => p.flags.replace("i", "") !== "")
  if (odd.length > 0) throw new Error(`markers with flags other than i: ${odd.map((p) => p.source).join(", ")}`)
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join("|"), flags)
}
const MARKERS = [...PRESET_MARKERS.map((group) => group.marker), ...OVERLAY_RULES.map((rule) => rule.marker)]
/**
 * Every marker in one expression (two: those that ignore case, and those that do not). Slower per character
 * than each on its own, but one call instead of twenty: a session's short strings (ids, titles, commands,
 * previews), tens of thousands of them, mostly hold none.
 */
const ANY_MARKER = [anyOf(MARKERS.filter((m) => !m.ignoreCase), ""), anyOf(MARKERS.filter((m) => m.ignoreCase), "i")]

/** Texts up to this long have their plans remembered… */
const REMEMBERED_TEXT = 64
/** …in this many slots, picked by a text's length and three of its characters. */
const PLAN_SLOTS = 4096
const slotTexts = new Array<string | undefined>(PLAN_SLOTS)
const slotPlans = new Array<SecretPlan>(PLAN_SLOTS)
const slotOf = (text: string): number =>
  (text.length * 31 + text.charCodeAt(0) * 7 + text.charCodeAt(text.length >> 1) * 13 + text.charCodeAt(text.length - 1)) & (PLAN_SLOTS - 1)

/**
 * `text`'s plan. A session's short texts repeat (its id on every message, tool and model names, statuses: two
 * in three of them on the benchmark's sessions): each one's plan is remembered in its slot until another text
 * takes the slot (a table, not a map: the ids, all distinct, would only grow a map), and found again by one
 * comparison where reading it costs two scans.
 */
export function secretPlan(text: string): SecretPlan {
  if (text.length === 0 || text.length > REMEMBERED_TEXT) return readSecretPlan(text)
  const slot = slotOf(text)
  if (slotTexts[slot] === text) return slotPlans[slot]!
  const plan = readSecretPlan(text)
  slotTexts[slot] = text
  slotPlans[slot] = plan
  return plan
}

/** `text`'s plan, read from its markers. */
export function readSecretPlan(text: string): SecretPlan {
  const escapes = hasEscapes(text)
  if (text.length <= SHORT_TEXT && !ANY_MARKER[0]!.test(text) && !ANY_MARKER[1]!.test(text)) return escapes ? ESCAPES_ONLY : NO_PLAN
  const preset = presetRulesFor(text)
  const rules = ruleSecretsFor(text)
  if (preset.size === 0 && rules.length === 0) return escapes ? ESCAPES_ONLY : NO_PLAN
  return { preset, rules, escapes }
}

/** Must `findSecrets` read a text whose plan is `plan`? */
export const needsSearch = (plan: SecretPlan): boolean => plan.preset.size > 0 || plan.rules.length > 0 || plan.escapes

/** Texts up to this size are linted whole. */
const WHOLE_TEXT_MAX = 64 * 1024
/** A window starts this far before a marker (every match starts less than 100 characters before its marker)… */
const WINDOW_BEFORE = 256
/** …and ends this far after it, then at the end of that line (the longest bounded match is about 12,100 characters). */
const WINDOW_AFTER = 16 * 1024

/** How far a window reaches for the line break before its start, or after its end. */
const LINE_REACH = 4096

/** Every line break's position, in order: found once per text, then looked up per marker. */
function lineBreaks(text: string): number[] {
  const breaks: number[] = []
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) breaks.push(i)
  return breaks
}

/** The index of the first break at or after `at` (binary search; `breaks.length` when none). */
function firstBreakFrom(breaks: ReadonlyArray<number>, at: number): number {
  let lo = 0
  let hi = breaks.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (breaks[mid]! < at) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Spans of `text` worth linting: the whole text, or windows around the
 * markers. A window reaches back to its line's start and on to its line's
 * end when those are near (within `LINE_REACH`), never further. The line
 * breaks are found once and looked up per marker, so a long line dense with
 * markers (a hostile share sync, a minified file) is linear work (seen before:
 * 3.2 s for 1 MB of `ghp_ ` repeated, each marker scanning its line whole).
 */
function windows(text: string): Array<readonly [number, number]> {
  if (text.length <= WHOLE_TEXT_MAX) return [[0, text.length]]
  const hits = markerPositions(text)
  hits.sort((a, b) => a - b)
  const breaks = lineBreaks(text)
  const spans: Array<[number, number]> = []
  for (const hit of hits) {
    let start = Math.max(0, hit - WINDOW_BEFORE)
    const before = firstBreakFrom(breaks, start) - 1
    if (before >= 0 && start - breaks[before]! <= LINE_REACH) start = breaks[before]! + 1
    else if (before < 0 && start < LINE_REACH) start = 0
    const reach = Math.min(text.length, hit + WINDOW_AFTER)
    const after = firstBreakFrom(breaks, reach)
    const end = after < breaks.length && breaks[after]! - reach <= LINE_REACH ? breaks[after]! : text.length - reach <= LINE_REACH ? text.length : reach
    const last = spans.at(-1)
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else spans.push([start, end])
  }
  return spans
}

/** A result that is a promise only where it must wait (for secretlint's preset): most texts are searched at once. */
export type Found = ReadonlyArray<Secret> | Promise<ReadonlyArray<Secret>>

const then = (found: Found, next: (secrets: ReadonlyArray<Secret>) => Found): Found =>
  found instanceof Promise ? found.then(next) : next(found)

/**
 * The secrets secretlint's preset and the overlay's rules find in `text`
 * (none without a marker). Where both find the same secret, the preset's
 * finding (and its kind) stands. A promise only when the preset runs: a
 * session's texts are tens of thousands, and each await costs a turn.
 */
export function findSecrets(text: string, plan: SecretPlan = secretPlan(text)): Found {
  return then(findPlainSecrets(text, plan), (plain) => (plan.escapes ? withEscapedSecrets(text, plain) : plain))
}

/**
 * `plain` and the secrets written escaped (URL-encoded, JSON's `\u`): found in the decoded lines that hold an
 * escape (a secret the escapes hide spans one), replaced where they are escaped.
 */
function withEscapedSecrets(text: string, plain: ReadonlyArray<Secret>): Found {
  const escaped = escapedLines(text)
  const decodedPlan = secretPlan(decodedText(escaped))
  if (decodedPlan.preset.size === 0 && decodedPlan.rules.length === 0) return plain
  const decoded = decodeEscapes(escaped)
  return then(findPlainSecrets(decoded.text, decodedPlan), (secrets) => {
    const found = new Map<string, Secret>(plain.map((s) => [s.find, s]))
    for (const secret of secrets) for (const s of escapedSecrets(decoded, escaped, secret)) if (!found.has(s.find)) found.set(s.find, s)
    return [...found.values()]
  })
}

const NONE: ReadonlyArray<Secret> = []

/** The first finding of each text. */
function unique(secrets: ReadonlyArray<Secret>): ReadonlyArray<Secret> {
  if (secrets.length < 2) return secrets
  const found = new Map<string, Secret>()
  for (const secret of secrets) if (!found.has(secret.find)) found.set(secret.find, secret)
  return [...found.values()]
}

function findPlainSecrets(text: string, plan: SecretPlan): Found {
  const ours = plan.rules.length > 0 ? findRuleSecrets(text, plan.rules) : NONE
  // Most texts with a marker have none of the preset's (code names tokens, not ghp_…): nothing to weigh.
  if (plan.preset.size === 0) return unique(ours)
  return findPresetSecrets(text, plan.preset).then((preset) => {
    const overlaps = (a: string, b: string) => a.includes(b) || b.includes(a)
    return unique([...preset, ...ours.filter((s) => !preset.some((p) => overlaps(p.find, s.find)))])
  })
}

async function findPresetSecrets(text: string, wanted: ReadonlySet<string>): Promise<ReadonlyArray<Secret>> {
  const found = new Map<string, Secret>()
  const scan = await loadPreset()
  for (const [start, end] of windows(text)) {
    const whole = start === 0 && end === text.length
    const chunk = whole ? text : text.slice(start, end)
    for (const message of await scan(chunk, whole ? wanted : undefined)) {
      for (const secret of secretsOf(message, chunk)) if (!found.has(secret.find)) found.set(secret.find, secret)
    }
  }
  return [...found.values()]
}

/**
 * What to replace for one finding. The finding's data holds the secret
 * itself (its `range` is not always the secret's: some rules report where the
 * whole match starts), so the data values found in the text are used, and
 * the range only when there is none.
 */
function secretsOf(message: PresetReport, text: string): Secret[] {
  const kind = kindOf(message.messageId)
  const values = Object.values(message.data ?? {}).filter(
    (v): v is string => typeof v === "string" && v.length >= 6 && text.includes(v),
  )
  if (values.length === 0) {
    const [from, to] = message.range
    const value = text.slice(from, to)
    if (value.length > 0) values.push(value)
  }
  return values.map((find) => secretFor(find, kind))
}

/** The replacement for one found secret value of `kind`. */
export function secretFor(find: string, kind: string): Secret {
  const url = URL_PASSWORD.exec(find)
  if (url) return { find, replace: `${url[1]}[REDACTED:password]${url[3]}`, kind: "password" }
  return { find, replace: `[REDACTED:${kind}]`, kind }
}

/** `scheme://user:password@rest`: only the password is the secret. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)([^@/\s]+)(@[^]*)$/i

const KIND_NAMES: Record<string, string> = {
  PostgreSQLConnection: "postgresql-connection",
  MySQLConnection: "mysql-connection",
  MongoDBConnection: "mongodb-connection",
}

/** A secretlint message id as a kind: `AWSSecretAccessKey` → `aws-secret-access-key`. */
export function kindOf(messageId: string): string {
  const named = KIND_NAMES[messageId]
  if (named) return named
  const words = messageId.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [messageId]
  return words.map((w) => w.toLowerCase()).join("-") || "secret"
}

/** `text` with every secret replaced (longest first, so no secret's tail survives a shorter one). */
export function replaceSecrets(text: string, secrets: ReadonlyArray<Secret>): string {
  return replaceSorted(text, [...secrets].sort((a, b) => b.find.length - a.find.length))
}

function replaceSorted(text: string, sorted: ReadonlyArray<Secret>): string {
  let out = text
  for (const s of sorted) {
    if (out.includes(s.find)) out = out.split(s.find).join(s.replace)
  }
  return out
}

/** Up to this many secrets, a replacer tries each on every string; beyond, it looks up only those a string holds. */
const FEW_SECRETS = 32
const PREFIX = 4

/**
 * `replaceSecrets` with the same secrets for many strings (every string of a
 * value): the same result for each, sorted once; with many secrets, each
 * string pays only for those it holds, found through an index of their first
 * characters. (Every secret tried on every string was quadratic: 32,000
 * distinct tokens in one value took 19 s.)
 */
export function secretReplacer(secrets: ReadonlyArray<Secret>): (text: string) => string {
  const sorted = [...secrets].sort((a, b) => b.find.length - a.find.length)
  if (sorted.length <= FEW_SECRETS) return (text) => replaceSorted(text, sorted)
  const short: number[] = []
  // First characters → length → the secret's text → its place in `sorted`: tokens of one kind share their
  // first characters (`ghp_`), so a string is looked up whole, once per length its first characters allow.
  const index = new Map<string, Map<number, Map<string, number>>>()
  sorted.forEach((s, i) => {
    if (s.find.length < PREFIX) return void short.push(i)
    const key = s.find.slice(0, PREFIX)
    const byLength = index.get(key) ?? index.set(key, new Map()).get(key)!
    const finds = byLength.get(s.find.length) ?? byLength.set(s.find.length, new Map()).get(s.find.length)!
    if (!finds.has(s.find)) finds.set(s.find, i)
  })
  return (text) => {
    // Every secret that occurs in the text, then the same replacement as replaceSecrets over just those, in its order.
    const present = new Set<number>()
    for (const i of short) if (text.includes(sorted[i]!.find)) present.add(i)
    for (let at = 0; at + PREFIX <= text.length; at++) {
      const byLength = index.get(text.slice(at, at + PREFIX))
      if (!byLength) continue
      for (const [length, finds] of byLength) {
        const i = finds.get(text.slice(at, at + length))
        if (i !== undefined) present.add(i)
      }
    }
    if (present.size === 0) return text
    // A secret found twice (two rules) is in `sorted` twice; replacing the first occurrence does it.
    return replaceSorted(text, [...present].sort((a, b) => a - b).map((i) => sorted[i]!))
  }
}

/** The home directory without trailing slashes, if it can be shown as `~` (not empty, not `/`). */
export function cleanHome(home: string | undefined): string | undefined {
  const clean = home?.replace(/[\\/]+$/, "")
  return clean && clean.length >= 2 ? clean : undefined
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Replaces the home directory with `~`. Only whole path components match:
 * with home `/root`, `/rootfs` stays. Returns undefined for a home that
 * cannot be shown as `~` (empty or `/`).
 */
export function homeReplacer(home: string | undefined): ((text: string) => string) | undefined {
  const clean = cleanHome(home)
  if (!clean) return undefined
  const pattern = new RegExp(`${escapeRegExp(clean)}(?![A-Za-z0-9._-])`, "g")
  return (text) => (text.includes(clean) ? text.replace(pattern, "~") : text)
}
