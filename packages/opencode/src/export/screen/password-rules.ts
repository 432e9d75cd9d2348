/**
 * Passwords the generic-secret rule misses because they do not look random
 * (pure): a dictionary-like value assigned to a name that says password
 * (`DB_PASSWORD=correct-horse-battery-staple`, `password: "hunter2hunter2"`),
 * and a password given on a command line (`mysql -pS3cret`,
 * `--password=…`, `--password …`, `sshpass -p …`, `redis-cli -a …`,
 * `docker login -p …`).
 *
 * A name says password when it ends with the word (`password`, `passwd`,
 * `passphrase`; `pass` and `pwd` only after a separator or a camelCase
 * boundary, so `bypass` and `OLDPWD` are not names of passwords): so
 * `password_hash`, `passwordless`, `password_min_length` and
 * `PASSWORD_RESET_URL` are not. A value is not a password when it stands for
 * one (`$DB_PASSWORD`, `<password>`, `changeme`, `********`), names a type
 * (`password: string`), refers to something in code (`args.password`,
 * `getpass()`, a bare identifier assigned with spaces around `=`) or, where
 * it is unquoted and not `.env`-style, is one plain word. Both forms run on
 * raw text and on the runtime's JSON text (quotes escaped as `\"`, line ends
 * as `\n`).
 */
import { isNameChar, PATH, PLACEHOLDER, type Rule, type Secret } from "./rule.ts"

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const isUpper = (c: number) => c >= 65 && c <= 90
const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57)

/** After the name: an optional closing quote, then `=`, `:`, `:=` or `=>` (not `==`, `!=`, `<=`), then the value. */
const ASSIGNMENT = /(\\?["']\]?)?([ \t]*)(:=|=>|=(?!=)|:(?!:))([ \t]*)(?:\\"([^"\\\n]{1,200})\\"|"([^"\n]{1,200})"|'([^'\n]{1,200})'|([^\s"'`\\,;&|()[\]{}<>]{1,200})(?=[ \t]*(?:$|[\r\n;&#]|\\[nrt]|\\?"|,[ \t]*(?:$|[\r\n]|\\n))))/y

/** Values that name a type, a state or the word itself, not a password (`password: string`, `password: required`). */
const NOT_A_VALUE = new Set([
  "string", "str", "text", "number", "int", "integer", "bool", "boolean", "any", "unknown", "object", "bytes", "char", "varchar",
  "null", "nil", "none", "undefined", "true", "false", "yes", "no", "on", "off", "required", "optional", "hidden", "masked", "redacted",
  "secret", "password", "passwd", "pwd", "pass", "passphrase", "empty", "blank", "unset", "default", "prompt", "env", "environment", "file", "files",
  "stdin", "value", "compat", "sha256", "sha512", "bcrypt", "argon2", "md5", "plain", "plaintext", "clear", "cleartext",
])

/** `args.password`, `self.db.password`, `process.env.DB_PASSWORD`: code, not a value. */
const REFERENCE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/
/** One plain word (letters, `_`, `$`): in code an identifier, in prose a word. */
const PLAIN_WORD = /^[A-Za-z_$]+$/
/** `{password}`, `#{pw}`, `%(password)s`, `********`, `••••`: stands for a value. */
const STAND_IN = /^(?:\{[\w.]*\}|#\{|%\(|\[[\w -]*\]$|(.)\1*$)/u

type Context = {
  readonly quoted: boolean
  /** `NAME=value`: an upper-case name, `=` and no spaces (`.env`, shell, `docker run -e`). */
  readonly envStyle: boolean
  /** Spaces around the operator. */
  readonly spaced: boolean
  readonly operator: string
  /** The unquoted value ends its line (or a `#` comment follows), rather than a `,` or `;`. */
  readonly lineEnds: boolean
}

/** Is `value` a password, not a stand-in, a type, a path or a reference? */
function isPasswordValue(value: string, c: Context): boolean {
  const v = value.trim()
  if (v.length < 4 || PLACEHOLDER.test(v) || STAND_IN.test(v) || NOT_A_VALUE.has(v.toLowerCase())) return false
  if (/[ \t]/.test(v) && !c.envStyle) return false // a label in an i18n file, or prose
  if (c.quoted) return true
  if (PATH.test(v) || REFERENCE.test(v) || v.includes("://")) return false
  if (c.envStyle) return true
  if (/^\d+$/.test(v)) return true
  if (!PLAIN_WORD.test(v)) return true
  // One plain word, unquoted: a value in `password=sunshine` (a query, an .ini) and `password: sunshine` at the end of a
  // YAML line; an identifier in `password = pw` and `password: pw,` (code).
  return (c.operator === "=" && !c.spaced) || (c.operator === ":" && c.lineEnds)
}

/** The password words: `pass`, `passwd`, `password`, `passphrase`, `pwd` (in either case). */
export const PASSWORD_WORD = String.raw`pass(?:w(?:or)?d|phrase)?|pwd`

/**
 * Where a password word is followed by an assignment's operator (after `\\?["']\]?` and spaces, as
 * `ASSIGNMENT` reads): found from the operator, the word read behind it. In code the words are on most lines
 * (`bcrypt.hash(password)`, `password_hash`, `--password-file`) and few are assigned.
 */
const ASSIGNED_WORD = new RegExp(String.raw`[:=](?<=(?:${PASSWORD_WORD})(?:\\?["']\]?)?[ \t]*[:=])`, "gi")
/** The words `PASSWORD_WORD` matches, longest first: the one that ends where a name ends. */
const WORDS = ["passphrase", "password", "passwd", "pass", "pwd"]

/**
 * `name = value` where the name ends with a password word, judged at the word `text.slice(at, after)` (a
 * match of `pass(?:w(?:or)?d|phrase)?|pwd`, ignoring case): the match, or undefined.
 */
export function passwordAssignmentAt(text: string, at: number, after: number): RegExpExecArray | undefined {
  // The name ends with the word: `password_hash`, `passwordless`, `password.length` are other names.
  const next = text.charCodeAt(after)
  if (isAlnum(next) || next === 95) return undefined
  const before = at > 0 ? text.charCodeAt(at - 1) : -1
  const short = after - at <= 4 // pass, pwd
  const camel = isUpper(text.charCodeAt(at)) && isLowerOrDigit(before)
  const separated = before === -1 || !isNameChar(before) || before === 95 || before === 46 || before === 45
  if (short && !separated && !camel) return undefined
  let start = at
  while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--
  const name = text.slice(start, after)
  ASSIGNMENT.lastIndex = after
  const m = ASSIGNMENT.exec(text)
  if (!m) return undefined
  const quoted = m[5] ?? m[6] ?? m[7]
  const value = quoted ?? m[8]!
  const operator = m[3]!
  const spaced = m[2]!.length > 0 || m[4]!.length > 0
  const envStyle = operator === "=" && !spaced && m[1] === undefined && /^[A-Z][A-Z0-9_]*$/.test(name)
  // What follows an unquoted value: `,` or `;` ends a statement of code (`password: pw,`), not a line of a config file.
  const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 8).trimStart()
  const lineEnds = !rest.startsWith(",") && !rest.startsWith(";")
  if (!isPasswordValue(value, { quoted: quoted !== undefined, envStyle, spaced, operator, lineEnds })) return undefined
  return Object.assign([value, value], { index: m.index, input: text }) as unknown as RegExpExecArray
}

/**
 * `name = value` where the name ends with a password word: each word an operator follows (the only ones
 * `ASSIGNMENT` can match after), in order, judged by `passwordAssignmentAt`. The word is the one that ends
 * where `\\?["']\]?` and the spaces before the operator begin: the same a scan for the words finds (no word
 * starts inside another but at its start, where the scan takes the longest).
 */
function* assignments(text: string): Generator<RegExpExecArray> {
  ASSIGNED_WORD.lastIndex = 0
  for (let op = ASSIGNED_WORD.exec(text); op; op = ASSIGNED_WORD.exec(text)) {
    let after = op.index
    while (after > 0 && (text.charCodeAt(after - 1) === 32 || text.charCodeAt(after - 1) === 9)) after--
    if (text.charCodeAt(after - 1) === 93 && (text.charCodeAt(after - 2) === 34 || text.charCodeAt(after - 2) === 39)) after--
    if (text.charCodeAt(after - 1) === 34 || text.charCodeAt(after - 1) === 39) {
      after--
      if (text.charCodeAt(after - 1) === 92) after--
    }
    const tail = text.slice(Math.max(0, after - 10), after).toLowerCase()
    const word = WORDS.find((w) => tail.endsWith(w))
    if (!word) continue
    const m = passwordAssignmentAt(text, after - word.length, after)
    if (m) yield m
  }
}

/** A value on a command line: quoted (also as the runtime's JSON escapes quotes) or up to the next space. */
const CLI_VALUE = String.raw`(?:\\"([^"\\\n]{1,200})\\"|"([^"\n]{1,200})"|'([^'\n]{1,200})'|([^\s"'\\;&|]{1,200}))`
/** The rest of one command line, up to 300 characters (not across a newline, escaped or not, or `;`, `&&`, `|`). */
const SAME_LINE = String.raw`(?:(?!\\n)[^\n;&|]){0,300}?`
const MYSQL = String.raw`(?:mysql(?:dump|admin|import|show|check|pump|binlog|sh)?|mariadb(?:-dump|-admin|-import|-show|-check)?)`

/** Commands whose short option takes a password: mysql's `-p` glued to it, sshpass's `-p`, redis-cli's `-a`, a registry login's `-p`. */
const COMMAND_PASSWORD = new RegExp(
  String.raw`(?<![\w./-])(?:${MYSQL}(?:\.exe)?\b${SAME_LINE}[ \t]-p(?=[^\s-])|sshpass\b${SAME_LINE}[ \t]-p[ \t]*|redis-cli\b${SAME_LINE}[ \t]-a[ \t]*|(?:docker|podman|buildah|skopeo|helm|oras|nerdctl)(?:[ \t]+registry)?[ \t]+login\b${SAME_LINE}[ \t]-p[ \t]*)${CLI_VALUE}`,
  "g",
)

/**
 * `--password=value`, `--db-password value`, `--passphrase 'value'`: the
 * option ends with the word (`--password-file`, `--password-stdin` are other
 * options). With a space, an unquoted value must not be one lowercase word
 * (`pass --password to the command` is prose) nor another option.
 */
const OPTION_PASSWORD = new RegExp(
  String.raw`(?<![\w-])--(?:[A-Za-z0-9]+-)*pass(?:word|wd|phrase)?(?![\w-])(=|[ \t]+)${CLI_VALUE}`,
  "gi",
)

const secretOf = (m: RegExpExecArray, first: number, spacedOption = false): Secret | undefined => {
  const quoted = m[first] ?? m[first + 1] ?? m[first + 2]
  const value = quoted ?? m[first + 3]
  if (value === undefined || value.length === 0) return undefined
  if (PLACEHOLDER.test(value) || STAND_IN.test(value) || PATH.test(value) || value.startsWith("-")) return undefined
  // openssl's `-pass file:…`, `env:…`, `fd:…` name where the password is.
  if (/^(?:file|env|fd):/.test(value)) return undefined
  if (NOT_A_VALUE.has(value.toLowerCase()) || (spacedOption && quoted === undefined && /^[a-z]+$/.test(value))) return undefined
  return { find: value, replace: "[REDACTED:password]", kind: "password" }
}

export const PASSWORD_RULES: ReadonlyArray<Rule> = [
  {
    kind: "password",
    marker: /pass|pwd/i,
    pattern: new RegExp(PASSWORD_WORD, "gi"),
    matches: assignments,
  },
  {
    kind: "password",
    // Led by the option (`-p`, `-a` after a space or a tab, which JSON writes `\t`), the command read behind it:
    // a scan for five words at every place cost as much as all the other markers of this file. The command is at
    // most some 320 characters back on the same line (its name, `.exe`, and the pattern's 300 characters before
    // the option).
    marker: /-[pa](?<=(?:[ \t]|\\t)-[pa])(?<=(?:mysql|mariadb|sshpass|redis-cli|login)[^\n]{0,320})/,
    pattern: COMMAND_PASSWORD,
    replace: (m) => secretOf(m, 1),
  },
  {
    kind: "password",
    marker: /-pass/i,
    pattern: OPTION_PASSWORD,
    replace: (m) => secretOf(m, 2, m[1] !== "="),
  },
]
