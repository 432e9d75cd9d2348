/**
 * The runtime's message parts as the overlay sees them, whichever source they
 * come from (the database or the HTTP API): a part of a type the SDK's `Part`
 * union names, or an `UnknownPart` a newer runtime added, which an export
 * shows as "unsupported" instead of failing on.
 */
import type { Part } from "@opencode-ai/sdk/v2"

/** A part whose `type` this overlay does not know (a newer runtime's). */
export type UnknownPart = {
  readonly id: string
  readonly sessionID: string
  readonly messageID: string
  readonly type: string
  readonly [key: string]: unknown
}

/** Every member of the SDK's `Part` union (1.18.33); the compiler fails here when the SDK adds or drops one. */
const KNOWN: { readonly [K in Part["type"]]: true } = {
  text: true,
  subtask: true,
  reasoning: true,
  file: true,
  tool: true,
  "step-start": true,
  "step-finish": true,
  snapshot: true,
  patch: true,
  agent: true,
  retry: true,
  compaction: true,
}

export const KNOWN_PART_TYPES: ReadonlySet<string> = new Set(Object.keys(KNOWN))
