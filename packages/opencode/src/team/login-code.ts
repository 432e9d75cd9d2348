/**
 * The code that pairs a browser's "Allow" with the terminal that asked (pure;
 * shared by `opencode share login` and the team share server). The login's
 * link names the port its listener waits on, and the server sends the new
 * member token there; a link someone else made (another user of the machine,
 * listening on a port of theirs) would send it to them. The terminal prints
 * the code beside its link and the server's page shows it above "Allow":
 * another link has another state, so another code.
 */
import { createHash } from "node:crypto"

/** Letters and digits that cannot be read as one another (no 0/O, 1/I/L). */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/** Eight characters of `state`'s SHA-256, as `XXXX-XXXX`. */
export function loginCode(state: string): string {
  const digest = createHash("sha256").update(state).digest()
  let code = ""
  for (let i = 0; i < 8; i++) code += ALPHABET[digest[i]! % ALPHABET.length]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}
