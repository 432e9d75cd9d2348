/**
 * `--since` values (pure): a date (`2025-03-04`, local midnight), a local
 * date and time (`2025-03-04T15:30`, `2025-03-04 15:30`), an ISO 8601 time
 * with an offset (`2025-03-04T15:30:00Z`), or an age (`90m`, `12h`, `7d`,
 * `2w`). Gives the time in ms, or undefined when the value is none of these.
 */
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export const SINCE_FORMATS = "a date (2025-03-04), a local time (2025-03-04T15:30), an ISO 8601 time (2025-03-04T15:30:00Z) or an age (90m, 12h, 7d, 2w)"

export function parseSince(value: string, now: number): number | undefined {
  const text = value.trim()
  const age = /^(\d+)\s*([mhdw])$/i.exec(text)
  if (age) return now - Number(age[1]) * UNITS[age[2]!.toLowerCase()]!
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text)
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local
    const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
    // Reject dates the calendar does not have (2025-02-30).
    if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return undefined
    return date.getTime()
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(text)
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}
