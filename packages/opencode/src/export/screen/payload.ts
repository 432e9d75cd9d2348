/**
 * Binary and file payloads are never copied into an export (pure): a data URL
 * or a base64 block becomes a placeholder naming its type, size and sha256,
 * with or without redaction.
 */

export type Payload = {
  readonly kind: "data-url" | "base64"
  readonly mime?: string
  /** Decoded size in bytes. */
  readonly size: number
  readonly sha256: string
}

/** What replaces a payload: `[OMITTED:data-url type=image/png size=70 sha256=…]`. */
export function placeholder(p: Payload): string {
  return `[OMITTED:${p.kind}${p.mime ? ` type=${p.mime}` : ""} size=${p.size} sha256=${p.sha256}]`
}

function sha256(data: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex")
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/

/** A `data:` URL's payload (decoded size and hash), or undefined when `url` is not one. */
export function dataUrlPayload(url: string): Payload | undefined {
  const m = DATA_URL.exec(url)
  if (!m) return undefined
  const mime = m[1] || "text/plain"
  const body = url.slice(m[0].length)
  let data: Uint8Array
  if (/;base64$/i.test(m[2] ?? "") || (m[2] ?? "").toLowerCase().includes(";base64")) {
    data = Buffer.from(body, "base64")
  } else {
    try {
      data = new TextEncoder().encode(decodeURIComponent(body))
    } catch {
      data = new TextEncoder().encode(body)
    }
  }
  return { kind: "data-url", mime, size: data.byteLength, sha256: sha256(data) }
}

/** Base64 data URLs inside text. */
const INLINE_DATA_URL = /data:[\w.+-]+\/[\w.+-]+(?:;[\w.+=-]+)*;base64,[A-Za-z0-9+/]+={0,2}/g

/**
 * A base64 block: lines of at least 60 base64 characters (the usual 64 and
 * 76 column wraps, or one long line), and a shorter last line.
 */
const BASE64_BLOCK = /[A-Za-z0-9+/]{60,}={0,2}(?:\r?\n[A-Za-z0-9+/]{60,}={0,2})*(?:\r?\n[A-Za-z0-9+/]{1,59}={0,2})?/g

/** A whole value this long that is base64 is a payload. */
export const WHOLE_BASE64_MIN = 256
/** A base64 block this long inside text is a payload. */
export const INLINE_BASE64_MIN = 1024

const BASE64_CHARS = new Uint8Array(128)
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") BASE64_CHARS[c.charCodeAt(0)] = 1
const isBase64Char = (code: number) => code < 128 && BASE64_CHARS[code] === 1

/** Has `text` a run of at least `min` base64 characters? (Looks at every `min`-th character only: any such run covers one.) */
export function hasBase64Run(text: string, min = 60): boolean {
  const n = text.length
  for (let i = min - 1; i < n; i += min) {
    if (!isBase64Char(text.charCodeAt(i))) continue
    let a = i - 1
    while (a >= 0 && isBase64Char(text.charCodeAt(a))) a--
    let b = i + 1
    while (b < n && isBase64Char(text.charCodeAt(b))) b++
    if (b - a - 1 >= min) return true
  }
  return false
}

/**
 * Cheap test on a value's JSON text: could a string inside hold a payload?
 * Every payload has `data:` or a base64 line of 60 characters, which JSON
 * escaping leaves alone.
 */
export function mayHoldPayload(json: string): boolean {
  return json.includes("data:") || hasBase64Run(json)
}

function looksLikeBase64(compact: string): boolean {
  return /[0-9]/.test(compact) && /[a-z]/.test(compact) && /[A-Z]/.test(compact)
}

function base64Payload(block: string): Payload {
  const compact = block.replace(/\s+/g, "")
  const data = Buffer.from(compact, "base64")
  return { kind: "base64", size: data.byteLength, sha256: sha256(data) }
}

/** `text` with every payload replaced by its placeholder (the same string when there is none). */
export function omitPayloads(text: string): string {
  if (text.startsWith("data:")) {
    const whole = dataUrlPayload(text)
    if (whole && !/\s/.test(text)) return placeholder(whole)
  }
  let out = text
  if (out.includes("data:")) {
    out = out.replace(INLINE_DATA_URL, (url) => {
      const p = dataUrlPayload(url)
      return p ? placeholder(p) : url
    })
  }
  if (out.length < 60) return out
  const trimmed = out.trim()
  return out.replace(BASE64_BLOCK, (block) => {
    const compact = block.replace(/\s+/g, "")
    if (!looksLikeBase64(compact)) return block
    const whole = block === trimmed && compact.length >= WHOLE_BASE64_MIN
    if (!whole && compact.length < INLINE_BASE64_MIN) return block
    return placeholder(base64Payload(block))
  })
}
