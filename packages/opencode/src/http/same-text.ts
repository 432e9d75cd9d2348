/**
 * Two texts compared in constant time (a password, a share's secret, a
 * sign-in's state): how long the comparison takes says nothing about where
 * they differ. Texts of different lengths are unequal at once; the length of
 * a secret is no secret here (they are made a fixed size).
 */
import { timingSafeEqual } from "node:crypto"

export function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
