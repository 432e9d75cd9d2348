/**
 * Sanitizing a session tree before it is rendered (pure): binary payloads
 * are always replaced by placeholders; secrets and the home directory too
 * unless redaction is off. Works value by value as the tree streams, and a
 * value whose serialization shows nothing to do is passed on untouched.
 */
import type { Part, Todo } from "@opencode-ai/sdk/v2"
import { dataUrlPayload, omitPayloads, placeholder } from "./payload.ts"
import { decodedText, hasEscapes } from "./escapes.ts"
import { cleanHome, findSecrets, homeReplacer, mayHoldSecret, needsSearch, RULE_SET, secretFor, secretPlan, secretReplacer, type SecretPlan } from "./redact.ts"
import type { Secret } from "./secret-rules.ts"
import { screen, screenFor, type Screen, type Work } from "./screen.ts"
import type { Entry, MessageNode, PartNode, Redaction, SessionTree, TreeWarning } from "../document/tree.ts"

export type SanitizeOptions = {
  /** Redact secrets and show the home directory as `~` (the default). */
  readonly redact: boolean
  /** The home directory to show as `~`. */
  readonly home?: string
  /**
   * A part as the renderer will read it (visible.ts, for the readable formats): the renderer gets this,
   * and only this is screened and sanitized. Unset: parts are kept whole (JSON).
   */
  readonly visible?: (part: Part) => Part
}

export type Sanitized<T> = { readonly value: T; readonly json: string }

export type Sanitizer = {
  readonly redaction: Redaction
  /** One JSON value, given its serialization. */
  readonly value: <T>(value: T, json: string) => Promise<Sanitized<T>>
  readonly text: (text: string) => Promise<string>
  /** The tree, lazily: messages are sanitized as they stream. */
  readonly tree: (tree: SessionTree) => Promise<SessionTree>
}

type Json = unknown

/** Maps every string in a JSON value; returns the same object where nothing changed. */
function mapStrings(value: Json, fn: (s: string) => string, onObject?: (o: Record<string, Json>) => Record<string, Json>): Json {
  if (typeof value === "string") return fn(value)
  if (Array.isArray(value)) {
    let copy: Json[] | undefined
    for (let i = 0; i < value.length; i++) {
      const next = mapStrings(value[i], fn, onObject)
      if (next !== value[i]) (copy ??= value.slice())[i] = next
    }
    return copy ?? value
  }
  if (typeof value === "object" && value !== null) {
    const source = onObject ? onObject(value as Record<string, Json>) : (value as Record<string, Json>)
    let copy: Record<string, Json> | undefined
    for (const key in source) {
      const next = mapStrings(source[key], fn, onObject)
      if (next !== source[key]) (copy ??= { ...source })[key] = next
    }
    return copy ?? source
  }
  return value
}

/** Renames the keys of every object in a JSON value; returns the same object where no key changed. */
function mapKeys(value: Json, fn: (key: string) => string): Json {
  if (Array.isArray(value)) {
    let copy: Json[] | undefined
    for (let i = 0; i < value.length; i++) {
      const next = mapKeys(value[i], fn)
      if (next !== value[i]) (copy ??= value.slice())[i] = next
    }
    return copy ?? value
  }
  if (typeof value !== "object" || value === null) return value
  const source = value as Record<string, Json>
  let changed = false
  const entries = Object.keys(source).map((key) => {
    const name = fn(key)
    const next = mapKeys(source[key], fn)
    if (name !== key || next !== source[key]) changed = true
    return [name, next] as const
  })
  return changed ? Object.fromEntries(entries) : value
}

function forEachString(value: Json, fn: (s: string) => void): void {
  if (typeof value === "string") fn(value)
  else if (Array.isArray(value)) for (const v of value) forEachString(v, fn)
  else if (typeof value === "object" && value !== null)
    for (const key in value as Record<string, Json>) forEachString((value as Record<string, Json>)[key], fn)
}

/** A file part (or tool attachment) carrying a data URL: the URL becomes a placeholder and `payload` describes it. */
function fileObject(o: Record<string, Json>): Record<string, Json> {
  if (o.type !== "file" || typeof o.url !== "string" || !o.url.startsWith("data:")) return o
  const p = dataUrlPayload(o.url)
  if (!p) return o
  return { ...o, url: placeholder(p), payload: { omitted: true, mime: p.mime, size: p.size, sha256: p.sha256 } }
}

/**
 * How much of a string's start and end the search across keys and values
 * keeps. A match that crosses a string's edge starts in a key (kept whole, keys
 * are short) and takes at most some 210 characters of the value (the longest
 * bounded value of a rule: 200, and its quotes), or, a private key's block,
 * runs from a string's end into what follows; the middle of a long string
 * cannot take part in one.
 */
const EDGE = 256

/**
 * A long string as its two ends, joined by a line of a NUL. A match the join
 * makes up (a key block's BEGIN in one end, its END in the other) finds text
 * that is in no real string, so replacing it changes nothing.
 */
const ends = (s: string): string => (s.length > 3 * EDGE ? `${s.slice(0, EDGE)}\n\u0000\n${s.slice(-EDGE)}` : s)

/**
 * What a key must hold for a secret to run from it on into its value: a rule's name for what is assigned
 * (generic secrets, passwords, AWS keys and account ids, authorization and API-key headers), as written or
 * escaped. A finding across a key and its value is what the search over the value's JSON is for; a rule
 * cannot run from a value on into what follows it (a `,`, `}` or `]` stands between, where a rule's name
 * needs `:` or `=`), and each string was searched on its own.
 */
const KEY_NAMES = /secret|token|pass|pwd|key|_pat|credent|uthoriz|ccount/i

/** A key that may be a secret itself (`{"ghp_…": …}`): it matters whatever its value. */
const SECRET_KEY = 2
/**
 * A key that names a secret: it matters where its value is a string or a number. Every rule's assigned value
 * starts with a character of a word, a quote or a sign, never with the `{` or `[` of an object or an array
 * (`"tokens":{"input":…}` in every assistant message), and `true`, `false` and `null` are shorter than any.
 */
const SECRET_NAME = 1

const keyJudged = new Map<string, number>()

/** Keys repeat (a session's parts have a few dozen between them): each is judged once. */
function keyJudgement(key: string): number {
  let judged = keyJudged.get(key)
  if (judged === undefined) {
    judged = mayHoldSecret(key)
      ? SECRET_KEY
      : KEY_NAMES.test(key) || (hasEscapes(key) && KEY_NAMES.test(decodedText(key)))
        ? SECRET_NAME
        : 0
    // Bounded: a value made of ever new keys (a map keyed by ids) must not grow it without end.
    if (keyJudged.size >= 4096) keyJudged.clear()
    keyJudged.set(key, judged)
  }
  return judged
}

/** Has `value` a key that could begin a secret, or be one? */
function keysMayMatter(value: Json): boolean {
  if (Array.isArray(value)) return value.some(keysMayMatter)
  if (typeof value !== "object" || value === null) return false
  for (const key in value as Record<string, Json>) {
    const v = (value as Record<string, Json>)[key]
    const judged = keyJudgement(key)
    if (judged === SECRET_KEY || (judged === SECRET_NAME && (typeof v === "string" || typeof v === "number"))) return true
    if (keysMayMatter(v)) return true
  }
  return false
}

/** A secret found in JSON text, as it appears in the decoded strings. */
function unescaped(secret: Secret): Secret | undefined {
  if (!secret.find.includes("\\")) return secret
  try {
    const find = JSON.parse(`"${secret.find}"`) as string
    return secretFor(find, secret.kind)
  } catch {
    return undefined
  }
}

/** The strings of a value that `findSecrets` must read, each with its markers, read once. */
function stringsToSearch(value: Json): Array<readonly [string, SecretPlan]> {
  const texts: Array<readonly [string, SecretPlan]> = []
  forEachString(value, (s) => {
    const plan = secretPlan(s)
    if (needsSearch(plan)) texts.push([s, plan])
  })
  return texts
}

/** What a value needs, and for its secrets the strings to read (known when nothing changed them since). */
type Needs = Work & { readonly texts?: ReadonlyArray<readonly [string, SecretPlan]> }

export function createSanitizer(options: SanitizeOptions): Sanitizer {
  const home = options.redact ? homeReplacer(options.home) : undefined
  const checks = screenFor(options.redact, options.home)

  /**
   * What `input` needs: payloads and the home directory judged off its JSON (as the screen does), secrets
   * off its strings, whose markers are then not read again to search them, and off its keys (a secret may
   * run from a key into its value, or be one). The same verdict as the screen's on the JSON, which holds a
   * marker wherever a string does (the prescan judges by that), without reading the text twice.
   */
  const payloadsAndHome: Screen = { secrets: false, ...(checks.homeNeedle !== undefined ? { homeNeedle: checks.homeNeedle } : {}) }
  const needs = (input: Json, json: string): Needs | undefined => {
    const w = screen(json, payloadsAndHome)
    const texts = checks.secrets ? stringsToSearch(input) : undefined
    const secrets = texts !== undefined && (texts.length > 0 || keysMayMatter(input))
    if (!w && !secrets) return undefined
    return { payloads: w?.payloads ?? false, secrets, homes: w?.homes ?? false, ...(texts ? { texts } : {}) }
  }

  /** The screen of a string's own text: the home directory as a string holds it (the JSON screen's is as JSON writes it). */
  const homeText = options.redact ? cleanHome(options.home) : undefined
  const payloadsAndHomeInText: Screen = { secrets: false, ...(homeText !== undefined ? { homeNeedle: homeText } : {}) }

  /**
   * What a string needs, judged off the string itself: its JSON, which `needs` reads, only adds escapes, and
   * where an escape makes a base64 run or the home directory appear (`\n` before a run, `\\` in a
   * Windows home), sanitizing the string changes nothing. The search index sanitizes every text it stores.
   */
  const textNeeds = (input: string): Needs | undefined => {
    const w = screen(input, payloadsAndHomeInText)
    const texts = checks.secrets ? stringsToSearch(input) : undefined
    const secrets = texts !== undefined && texts.length > 0
    if (!w && !secrets) return undefined
    return { payloads: w?.payloads ?? false, secrets, homes: w?.homes ?? false, ...(texts ? { texts } : {}) }
  }

  /** `input` sanitized as `w` says: the same object where nothing changed. */
  const sanitized = async (input: Json, w: Needs): Promise<Json> => {
    let out: Json = input
    if (w.payloads) out = mapStrings(out, omitPayloads, fileObject)
    if (w.secrets) {
      // Secrets inside single strings (a line of tool output)…
      const found: Secret[] = []
      const texts = out === input && w.texts ? w.texts : stringsToSearch(out)
      for (const [text, plan] of texts) {
        const secrets = findSecrets(text, plan)
        found.push(...(secrets instanceof Promise ? await secrets : secrets))
      }
      if (found.length > 0) out = mapStrings(out, secretReplacer(found))
      // …and across keys and values (`{"aws_secret_access_key": "…"}`), in the JSON of the value with its long
      // strings cut to their ends (each string was searched whole just above), where a key could start one.
      const structural = keysMayMatter(out)
        ? (await findSecrets(JSON.stringify(mapStrings(out, ends)))).flatMap((s) => unescaped(s) ?? [])
        : []
      if (structural.length > 0) {
        const replace = secretReplacer(structural)
        out = mapStrings(out, replace)
        // A secret written as a key (tool input a model named, metadata of a tool) is replaced there too.
        out = mapKeys(out, replace)
      }
    }
    if (home && w.homes) out = mapStrings(out, home)
    return out
  }

  const transform = async <T>(input: T, json: string, w: Needs): Promise<Sanitized<T>> => {
    const out = await sanitized(input, w)
    return out === input ? { value: input, json } : { value: out as T, json: JSON.stringify(out) }
  }

  const value = async <T>(input: T, json: string): Promise<Sanitized<T>> => {
    const w = needs(input, json)
    return w ? transform(input, json, w) : { value: input, json }
  }

  const text = async (input: string): Promise<string> => {
    const w = textNeeds(input)
    return w ? ((await sanitized(input, w)) as string) : input
  }

  /** A part found to need `w`. */
  const part = async (node: PartNode, w: Needs): Promise<PartNode> => {
    if (node.kind === "part") {
      const { value: v, json } = await transform(node.value, node.json, w)
      return v === node.value ? node : { kind: "part", value: v, json }
    }
    const { value: v, json } = await transform(node.value, node.json, w)
    return v === node.value ? node : { kind: "unsupported", value: v, json }
  }

  /** The part as the renderer will read it. */
  const visible = (node: PartNode): PartNode => {
    if (!options.visible || node.kind !== "part") return node
    const shown = options.visible(node.value)
    if (shown === node.value) return node
    let json: string | undefined
    const next: PartNode = { kind: "part", value: shown, get json() { return (json ??= JSON.stringify(shown)) } }
    return node.screened ? Object.assign(next, { screened: true as const }) : next
  }

  /** A message as is when nothing in it needs work (checked without awaiting, for speed), else sanitized. */
  const message = (node: MessageNode): MessageNode | Promise<MessageNode> => {
    const shown = options.visible ? node.parts.map(visible) : node.parts
    // Each part judged once: what it needs is kept for the parts that need something.
    const infoWork = needs(node.info, node.json)
    let works: Array<Needs | undefined> | undefined
    for (let i = 0; i < shown.length; i++) {
      const p = shown[i]!
      const w = p.screened === true ? undefined : needs(p.value, p.json)
      if (w) (works ??= new Array<Needs | undefined>(shown.length))[i] = w
    }
    if (!infoWork && !works) return shown === node.parts ? node : { ...node, parts: shown }
    return (async () => {
      const info = infoWork ? await transform(node.info, node.json, infoWork) : { value: node.info, json: node.json }
      const parts: PartNode[] = []
      for (let i = 0; i < shown.length; i++) parts.push(works?.[i] ? await part(shown[i]!, works[i]!) : shown[i]!)
      return { info: info.value, json: info.json, parts }
    })()
  }

  const warning = async (w: TreeWarning): Promise<TreeWarning> =>
    w.raw === undefined ? w : { ...w, raw: await text(w.raw) }

  const tree = async (input: SessionTree): Promise<SessionTree> => {
    const info = await value(input.info, input.json)
    const todos: Todo[] = []
    for (const todo of input.todos) todos.push((await value(todo, JSON.stringify(todo))).value)
    const warnings: TreeWarning[] = []
    for (const w of input.warnings) warnings.push(await warning(w))
    const children: SessionTree[] = []
    for (const child of input.children) children.push(await tree(child))
    return {
      info: info.value,
      json: info.json,
      todos,
      stats: input.stats,
      warnings,
      children,
      entries: async function* (): AsyncIterable<Entry> {
        for await (const entry of input.entries()) {
          if (entry.kind === "message") {
            const m = message(entry.message)
            yield { kind: "message", message: m instanceof Promise ? await m : m }
          } else yield { kind: "warning", warning: await warning(entry.warning) }
        }
      },
    }
  }

  const redaction: Redaction = options.redact
    ? { secrets: true, home: home !== undefined, rules: RULE_SET }
    : { secrets: false, home: false }
  return { redaction, value, text, tree }
}
