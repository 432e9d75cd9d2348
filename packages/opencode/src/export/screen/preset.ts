/**
 * secretlint's recommended preset, run directly: each of its scanner rules'
 * own code (the preset's `rules`, maintained upstream), called on a text with
 * a minimal rule context, instead of through `@secretlint/core`'s
 * `lintSource`. The rules are the same; what is left out is core's per-call
 * machinery (registering 28 rules, their contexts, translators and events,
 * locating each report as line and column, and the filters after): about
 * 100 µs per call, where the rules themselves take some 15 µs on a 2 KB text.
 * Sessions call it once per part that might hold a secret, thousands of times.
 *
 * Only the rules that can find something in a text run on it: each rule has a
 * marker, a literal every one of its matches contains (read off its patterns
 * below), and markers are grouped behind a cheaper one per group.
 *
 * Reports come as core's do (`messageId`, `data`, `range`), sorted as core
 * sorts them. One difference, on purpose: the preset's comment filter
 * (`secretlint-disable` comments in the text) is not run, so a session's text
 * cannot switch its own redaction off. `test/export/preset.test.ts` checks
 * that every other report equals `lintSource`'s, on the labelled corpus and on
 * generated text.
 */

import { hasMarker, type Marked } from "./rule.ts"

export type PresetReport = {
  readonly messageId: string
  readonly data?: Readonly<Record<string, unknown>>
  readonly range: readonly [number, number]
}

/**
 * What every match of the AWS rule's secret key and account id patterns holds: the name from its `ecret`
 * or `ccount` on, the assignment and the value; in raw text and in JSON text, where a quote comes as `\"`
 * and a space of the pattern's `\s*` may come as `\n`, `\r`, `\t`, `\f` or `\u000b`.
 */
const JSON_SPACES = String.raw`(?:\s|\\[nrtf]|\\u000[bB])*`
const JSON_QUOTE = String.raw`(?:\\?["'])?`
const AWS_ASSIGNMENTS = new RegExp(
  String.raw`(?:ecret|ECRET)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)${JSON_QUOTE}${JSON_SPACES}(?::|=>|=)${JSON_SPACES}${JSON_QUOTE}[A-Za-z0-9/+=]{40}` +
    String.raw`|(?:ccount|CCOUNT)_?(?:ID|id|Id)?${JSON_QUOTE}${JSON_SPACES}(?::|=>|=)${JSON_SPACES}${JSON_QUOTE}[0-9]{4}-?[0-9]{4}-?[0-9]{4}`,
)

/**
 * Each rule's marker: every match of the rule's patterns contains a match of
 * it (in raw text and in the runtime's JSON text alike: JSON.stringify escapes
 * neither these letters nor "/"). Where a rule's pattern ignores case, so does its marker.
 */
const RULE_MARKERS: Readonly<Record<string, RegExp>> = {
  // (SECRET|secret|Secret)_?ACCESS_?KEY = …, (ACCOUNT|account|Account)_?ID = 1234-…, key ids.
  "@secretlint/secretlint-rule-aws": new RegExp(`${AWS_ASSIGNMENTS.source}|A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA`),
  // A service account's private key.
  "@secretlint/secretlint-rule-gcp": /PRIVATE KEY/,
  // https://…:x-oauth-basic@github.com/, _authToken=…, npm_….
  "@secretlint/secretlint-rule-npm": /x-oauth-basic@github\.com\/|_authToken=|npm_/,
  // Tokens, and incoming webhooks (matched ignoring case).
  "@secretlint/secretlint-rule-slack": /xox[bpaor]-|xapp-|[hH][oO][oO][kK][sS]\.[sS][lL][aA][cC][kK]\.[cC][oO][mM]\/[sS][eE][rR][vV][iI][cC][eE][sS]\//,
  "@secretlint/secretlint-rule-basicauth": /(?:https?|ftps?):\/\/[-a-zA-Z0-9_]{1,256}:/,
  "@secretlint/secretlint-rule-openai": /T3BlbkFJ/,
  "@secretlint/secretlint-rule-anthropic": /sk-ant-api0/,
  "@secretlint/secretlint-rule-groq": /gsk_/,
  "@secretlint/secretlint-rule-huggingface": /hf_/,
  "@secretlint/secretlint-rule-linear": /lin_api_/,
  "@secretlint/secretlint-rule-notion": /ntn_/,
  "@secretlint/secretlint-rule-privatekey": /PRIVATE KEY/,
  "@secretlint/secretlint-rule-sendgrid": /SG\./,
  "@secretlint/secretlint-rule-shopify": /shp(?:pa|ca|at|ss)_/,
  "@secretlint/secretlint-rule-stripe": /[sr]k_(?:live|test)_/,
  "@secretlint/secretlint-rule-github": /gh[pousr]_|github_pat_/,
  "@secretlint/secretlint-rule-gitlab": /glpat-/,
  "@secretlint/secretlint-rule-grafana": /glc_|glsa_/,
  "@secretlint/secretlint-rule-1password": /ops_ey/,
  // mongodb(+srv)://, (jdbc:)mysql(x)://, postgres(ql):// (matched ignoring case).
  "@secretlint/secretlint-rule-database-connection-string": /(?:[mM][oO][nN][gG][oO][dD][bB](?:\+[sS][rR][vV])?|[mM][yY][sS][qQ][lL][xX]?|[pP][oO][sS][tT][gG][rR][eE][sS](?:[qQ][lL])?):\/\//,
  "@secretlint/secretlint-rule-hashicorp-vault": /hv[sbr]\./,
  "@secretlint/secretlint-rule-vercel": /vc[pickr]_/,
  "@secretlint/secretlint-rule-databricks": /dapi/,
  "@secretlint/secretlint-rule-docker": /dckr_pat_/,
  "@secretlint/secretlint-rule-figma": /figd_/,
  "@secretlint/secretlint-rule-cloudflare": /cf(?:k|ut|at)_/,
  "@secretlint/secretlint-rule-tailscale": /tskey-/,
}

/**
 * The rules' markers in groups behind a shared character, because a regular
 * expression led by one or two literal characters scans fast and one with
 * dozens of alternatives does not (0.3 vs 4 ns/char): a text is tried against
 * a group's marker first, and against its rules' markers only where that matches.
 */
export const PRESET_MARKERS: ReadonlyArray<Marked & { readonly rules: ReadonlyArray<string> }> = [
  // Prefixed tokens, at the "_" or "-" of their prefix: npm_, npmrc _authToken=, gsk_ (groq), hf_,
  // lin_api_, ntn_ (notion), shp??_ (shopify), [sr]k_live|test_ (stripe), gh?_ and github_pat_,
  // glc_ and glsa_ (grafana), ops_ey (1password), vc?_ (vercel), dckr_pat_, figd_, cf?_ (cloudflare),
  // xox?- and xapp- (slack), sk-ant-api0 (anthropic), glpat- (gitlab), tskey- (tailscale).
  {
    marker:
      /[_-](?:(?<=(?:npm|gsk|hf|lin_api|ntn|shp(?:pa|ca|at|ss)|[sr]k_(?:live|test)|gh[pousr]|github_pat|glc|glsa|vc[pickr]|dckr_pat|figd|cf(?:k|ut|at))_)|(?=authToken=)|(?<=ops_)(?=ey)|(?<=(?:xox[bpaor]|xapp|glpat|tskey)-)|(?<=sk-)(?=ant-api0))/,
    rules: ["npm", "slack", "anthropic", "groq", "huggingface", "linear", "notion", "shopify", "stripe", "github", "gitlab", "grafana", "1password", "vercel", "docker", "figma", "cloudflare", "tailscale"],
  },
  // URLs, at their "//": scheme://user:… (basic auth), database connection strings, Slack webhooks, npm's x-oauth-basic.
  // Each alternative reads "://" (the "//" and the look-behind's ":"): texts without it, most code, are not read for it.
  {
    gate: "://",
    marker:
      /\/\/(?:(?<=(?:https?|ftps?):\/\/)[-a-zA-Z0-9_]{1,256}:|(?<=(?:[mM][oO][nN][gG][oO][dD][bB](?:\+[sS][rR][vV])?|[mM][yY][sS][qQ][lL][xX]?|[pP][oO][sS][tT][gG][rR][eE][sS](?:[qQ][lL])?):\/\/)|(?<=[hH][tT][tT][pP][sS]:\/\/)[hH][oO][oO][kK][sS]\.[sS][lL][aA][cC][kK]\.|(?<=https?:\/\/)(?=[^\n]{1,256}:x-oauth-basic@github\.com\/))/,
    rules: ["npm", "slack", "basicauth", "database-connection-string"],
  },
  // aws: (SECRET|secret|Secret)_?ACCESS_?KEY = <40 characters>, (ACCOUNT|account|Account)_?ID = 1234-5678-9012. Code names
  // secrets and accounts on most lines (`secretAccessKey)`, `accountId: 12`): the marker reads on to the value, which
  // a match cannot do without (the rule's patterns less their optional start and their closing quote and `\b`).
  { marker: AWS_ASSIGNMENTS, rules: ["aws"] },
  // privatekey and gcp, openai (…T3BlbkFJ…), sendgrid (SG.), aws key ids: led by their first, upper-case letter.
  {
    marker: /[PTSA](?:RIVATE KEY|3BlbkFJ|G\.|(?:3T[A-Z0-9]|KIA|GPA|IDA|ROA|IPA|NPA|NVA|SIA)[A-Z0-9]{16})/,
    rules: ["gcp", "privatekey", "openai", "sendgrid", "aws"],
  },
  // databricks (dapi), hashicorp vault (hvs. hvb. hvr., behind the literal "hv"): each its own literal, which scans fastest.
  { marker: /dapi/, rules: ["databricks"] },
  { gate: "hv", marker: /hv[sbr]\./, rules: ["hashicorp-vault"] },
].map((group) => ({ ...group, rules: group.rules.map((name) => `@secretlint/secretlint-rule-${name}`) }))

/** Could `text` (raw, or the runtime's JSON) hold a finding of the preset? */
export function mayHoldPresetSecret(text: string): boolean {
  for (const group of PRESET_MARKERS) if (hasMarker(group, text)) return true
  return false
}

const GLOBAL_RULE_MARKERS = [...new Set(Object.values(RULE_MARKERS).map((m) => m.source))].map((source) => new RegExp(source, "g"))

/** Where in `text` the rules' markers match (unsorted; long texts are scanned in windows around them). */
export function markerPositions(text: string): number[] {
  const hits: number[] = []
  for (const marker of GLOBAL_RULE_MARKERS) {
    marker.lastIndex = 0
    for (let m = marker.exec(text); m; m = marker.exec(text)) {
      hits.push(m.index)
      if (m[0].length === 0) marker.lastIndex++
    }
  }
  return hits
}

/** The preset's rules whose markers `text` holds: the only ones that can report something in it. */
export function presetRulesFor(text: string): ReadonlySet<string> {
  let ids: Set<string> | undefined
  for (const group of PRESET_MARKERS) {
    if (!hasMarker(group, text)) continue
    for (const id of group.rules) if (!ids?.has(id) && RULE_MARKERS[id]!.test(text)) (ids ??= new Set()).add(id)
  }
  // Most texts hold none: one empty set for all of them.
  return ids ?? NO_RULES
}

const NO_RULES: ReadonlySet<string> = new Set()

/** Options per rule, as the overlay configures the preset. */
const RULE_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  // Access key ids too: with the secret key next to them they are half a credential.
  "@secretlint/secretlint-rule-aws": { enableIDScanRule: true },
}

/** The preset's rule that reads `secretlint-disable` comments; see above. */
const COMMENT_FILTER = "@secretlint/secretlint-rule-filter-comments"

/** What the preset's rules need of a source: core's fields for a text file. */
const sourceOf = (content: string) => ({ content, filePath: "session.npmrc", ext: ".npmrc", contentType: "text" as const })

type RuleHandlers = { readonly file?: (source: ReturnType<typeof sourceOf>) => void | Promise<void> }
type ScannerRule = {
  readonly meta: { readonly id: string; readonly type: string }
  readonly create: (context: unknown, options: unknown) => RuleHandlers
}

/** `wanted`: the rules to run, a superset of `presetRulesFor(content)` (a rule without its marker finds nothing). */
export type PresetScan = (content: string, wanted?: ReadonlySet<string>) => Promise<ReadonlyArray<PresetReport>>

let scanner: Promise<PresetScan> | undefined

/**
 * The preset's scanner rules, made once (the rules keep no state between
 * files: each `file` call reads only its source), loaded on first use.
 */
export function loadPreset(): Promise<PresetScan> {
  scanner ??= (async () => {
    const { rules } = (await import("@secretlint/secretlint-rule-preset-recommend")) as unknown as { rules: ReadonlyArray<ScannerRule> }
    let reports: PresetReport[] = []
    const context = {
      sharedOptions: {},
      // Core's translator makes `{ message, messageId, data }`; the words are not needed here.
      createTranslator: () => (messageId: string, data?: Record<string, unknown>) => ({ message: messageId, messageId, data }),
      report: (descriptor: { message: { messageId: string; data?: Record<string, unknown> }; range: readonly [number, number] }) =>
        reports.push({ messageId: descriptor.message.messageId, ...(descriptor.message.data ? { data: descriptor.message.data } : {}), range: descriptor.range }),
      ignore: () => {},
    }
    const scanners = rules.filter((rule) => rule.meta.type === "scanner" && rule.meta.id !== COMMENT_FILTER)
    // A rule of a newer preset that has no marker here would go unrun: fail loudly instead.
    const unmarked = scanners.filter((rule) => !RULE_MARKERS[rule.meta.id]).map((rule) => rule.meta.id)
    if (unmarked.length > 0) throw new Error(`secretlint's preset has rules without a marker in preset.ts: ${unmarked.join(", ")}`)
    // In the preset's order: reports that tie on their range keep it.
    const handlers = scanners.map((rule) => ({ id: rule.meta.id, handler: rule.create(context, RULE_OPTIONS[rule.meta.id] ?? {}) }))
    const scan = async (content: string, given?: ReadonlySet<string>) => {
      reports = []
      const wanted = given ?? presetRulesFor(content)
      if (wanted.size === 0) return []
      const source = sourceOf(content)
      for (const { id, handler } of handlers) {
        if (!wanted.has(id)) continue
        const done = handler.file?.(source)
        if (done) await done
      }
      const found = reports
      // As core sorts them: by where they start, then where they end (a stable sort keeps rule order on ties).
      return found.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1])
    }
    // One scan at a time: the reports of a rule that awaits must not land in another text's list.
    let last: Promise<unknown> = Promise.resolve()
    return (content: string, wanted?: ReadonlySet<string>) => {
      const next = last.then(() => scan(content, wanted))
      last = next.catch(() => {})
      return next
    }
  })()
  return scanner
}
