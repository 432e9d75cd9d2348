import { parse, printParseErrorCode, type ParseError } from "jsonc-parser"
import { SHARE_MODES, type ParseProblem, type ShareMode, type ShareSetting } from "./layer.ts"

export type Parsed = { readonly value: unknown; readonly problem?: undefined } | { readonly problem: ParseProblem }

/** Parses JSON with comments and trailing commas, as the runtime accepts it. */
export function parseJsonc(text: string): Parsed {
  const errors: ParseError[] = []
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false })
  const first = errors[0]
  if (first) return { problem: { message: printParseErrorCode(first.error), ...lineColumn(text, first.offset) } }
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value)))
    return { problem: { message: "the top level is not an object", line: 1, column: 1 } }
  return { value }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}

/** What a parsed config object says about sharing (`share`, or the older `autoshare: true`). */
export function shareSetting(config: unknown): ShareSetting | undefined {
  if (typeof config !== "object" || config === null) return undefined
  const record = config as Record<string, unknown>
  const share = record.share
  if (share !== undefined) {
    return typeof share === "string" && (SHARE_MODES as ReadonlyArray<string>).includes(share)
      ? { kind: "mode", mode: share as ShareMode, key: "share" }
      : { kind: "invalid", raw: JSON.stringify(share) }
  }
  if (record.autoshare === true) return { kind: "mode", mode: "auto", key: "autoshare" }
  return undefined
}

/** The share host a parsed config object names (`enterprise.url`), if it names one. */
export function enterpriseURL(config: unknown): string | undefined {
  if (typeof config !== "object" || config === null) return undefined
  const enterprise = (config as Record<string, unknown>).enterprise
  if (typeof enterprise !== "object" || enterprise === null) return undefined
  const url = (enterprise as Record<string, unknown>).url
  return typeof url === "string" && url.trim() !== "" ? url.trim() : undefined
}
