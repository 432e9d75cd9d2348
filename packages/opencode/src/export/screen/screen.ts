/**
 * The cheap screen (pure): from a value's JSON text alone, does it need
 * sanitizing at all? Most do not, and are passed on untouched. Shared by the
 * sanitizer and the prescan worker, so both judge alike.
 */
import { mayHoldPayload } from "./payload.ts"
import { cleanHome, mayHoldSecret } from "./redact.ts"

export type Screen = {
  /** Look for secrets (redaction on). */
  readonly secrets: boolean
  /** The home directory as it appears in JSON text; undefined when it is not replaced. */
  readonly homeNeedle?: string
}

export type Work = { readonly payloads: boolean; readonly secrets: boolean; readonly homes: boolean }

export function screenFor(redact: boolean, home: string | undefined): Screen {
  const clean = redact ? cleanHome(home) : undefined
  return { secrets: redact, ...(clean ? { homeNeedle: JSON.stringify(clean).slice(1, -1) } : {}) }
}

/** What `json` needs; undefined for nothing. */
export function screen(json: string, s: Screen): Work | undefined {
  const payloads = mayHoldPayload(json)
  const secrets = s.secrets && mayHoldSecret(json)
  const homes = s.homeNeedle !== undefined && json.includes(s.homeNeedle)
  return payloads || secrets || homes ? { payloads, secrets, homes } : undefined
}
