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
 * Reports come as core's do (`messageId`, `data`, `range`), sorted as core
 * sorts them. One difference, on purpose: the preset's comment filter
 * (`secretlint-disable` comments in the text) is not run, so a session's text
 * cannot switch its own redaction off. `test/export/preset.test.ts` checks
 * that every other report equals `lintSource`'s, on the labelled corpus and on
 * generated text.
 */

export type PresetReport = {
  readonly messageId: string
  readonly data?: Readonly<Record<string, unknown>>
  readonly range: readonly [number, number]
}

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

export type PresetScan = (content: string) => Promise<ReadonlyArray<PresetReport>>

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
    const handlers = rules
      .filter((rule) => rule.meta.type === "scanner" && rule.meta.id !== COMMENT_FILTER)
      .map((rule) => rule.create(context, RULE_OPTIONS[rule.meta.id] ?? {}))
    const scan = async (content: string) => {
      reports = []
      const source = sourceOf(content)
      for (const handler of handlers) {
        const done = handler.file?.(source)
        if (done) await done
      }
      const found = reports
      // As core sorts them: by where they start, then where they end (a stable sort keeps rule order on ties).
      return found.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1])
    }
    // One scan at a time: the reports of a rule that awaits must not land in another text's list.
    let last: Promise<unknown> = Promise.resolve()
    return (content: string) => {
      const next = last.then(() => scan(content))
      last = next.catch(() => {})
      return next
    }
  })()
  return scanner
}
