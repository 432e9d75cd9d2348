/**
 * The HTML renderer (pure): the session as one self-contained page anyone can
 * open offline. It shows what the Markdown shows, laid out for reading: a
 * table of contents of the user's prompts, tool calls collapsed to one line,
 * reasoning and subagent sessions collapsible, diffs coloured, in-page search
 * and a filter by role, light and dark, readable when printed.
 *
 * Nothing in it reaches the network or runs but its own script: the page's
 * Content Security Policy allows no source at all except the one inline style
 * and the one inline script, by hash. Session content is escaped text, and
 * message Markdown is rendered by `marked` with raw HTML shown as text, links
 * kept only for http(s) and mailto, and images shown as their address.
 */
import { createHash } from "node:crypto"
import type { AssistantMessage, FilePart, Part, ToolPart, UserMessage } from "@opencode-ai/sdk/v2"
import { Marked, type Tokens } from "marked"
import { toolTitle } from "../../model/parts.ts"
import { assistantRole, childLeftOut, compactionNote, CONTINUE_NOTE, continuesCompaction, subagentCounts, cutOutput, errorText, fileName, markup, oneLine, sessionFacts, toolState } from "./facts.ts"
import { bytes, count, duration, isoLocal, plural, shortLocal } from "../document/format.ts"
import { cleanTerminal } from "./terminal.ts"
import type { ReadableOptions } from "../document/choices.ts"
import { factsOf, type ExportDocument, type MessageNode, type SessionTree, type TreeWarning } from "../document/tree.ts"
import { walkSession, type SessionView } from "./walk.ts"

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }
export const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

const SAFE_LINK = /^(?:https?:|mailto:)/i

/** Message Markdown to HTML that cannot run or load anything. */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => esc(text),
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens)
      if (!SAFE_LINK.test(href)) return `${inner} <code>${esc(href)}</code>`
      return `<a href="${esc(href)}" rel="noopener noreferrer nofollow"${title ? ` title="${esc(title)}"` : ""}>${inner}</a>`
    },
    image: ({ href, text }: Tokens.Image) => `<span class="img">[image: ${esc(text)}] <code>${esc(href)}</code></span>`,
  },
})

/**
 * The common shapes of an answer, rendered without the full parser, which
 * costs ten times as much per text and shows on sessions of thousands of
 * answers: paragraphs (only the inline parser runs on each) and fenced code
 * blocks between them. Anything else (a heading, a list, a quote, a table,
 * indented code, HTML, a link definition, a hard line break, a fence that is
 * not closed) goes to the full parser. A test checks both give the same HTML.
 */
const BLOCK = /^[ \t]|^(?:[-+*=>#|~<[]|\d+[.)])|[ \t]$/m
const FENCE = /^(`{3,}|~{3,})([^`\n]*)$/

/** A paragraph the inline parser would only escape: no markup, link, autolink, entity or line break in it. */
const PLAIN = /^[A-Za-z0-9 \n,.;?()'"-]*$/

function paragraphs(text: string): string | undefined {
  if (BLOCK.test(text) || /^`/m.test(text)) return undefined
  let out = ""
  for (const part of text.split(/\n\n+/)) {
    // A paragraph ends at its last character: the full parser drops a newline before or after it.
    const para = part.replace(/^\n+|\n+$/g, "")
    if (para === "") continue
    const plain = PLAIN.test(para) && !/www\./i.test(para)
    out += `<p>${plain ? esc(para) : markdown.parseInline(para, { async: false })}</p>\n`
  }
  return out
}

export function commonShapes(text: string): string | undefined {
  if (!text.includes("```") && !text.includes("~~~")) return paragraphs(text)
  const lines = text.split("\n")
  let out = ""
  let prose: string[] = []
  const flush = () => {
    const html = paragraphs(prose.join("\n").replace(/^\n+|\n+$/g, ""))
    prose = []
    return html
  }
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!)
    if (!open) {
      prose.push(lines[i]!)
      continue
    }
    const before = flush()
    if (before === undefined) return undefined
    out += before
    const marker = open[1]!
    const closes = (line: string) => {
      const close = /^(`{3,}|~{3,})$/.exec(line)
      return close !== null && close[1]![0] === marker[0] && close[1]!.length >= marker.length
    }
    const end = lines.findIndex((line, j) => j > i && closes(line))
    if (end === -1) return undefined
    const lang = open[2]!.trim().split(/\s+/)[0] ?? ""
    const code = lines.slice(i + 1, end).join("\n")
    out += `<pre><code${lang ? ` class="language-${esc(lang)}"` : ""}>${esc(code)}${code === "" ? "" : "\n"}</code></pre>\n`
    i = end
  }
  const after = flush()
  return after === undefined ? undefined : out + after
}

const md = (text: string): string => {
  try {
    return commonShapes(text) ?? markdown.parse(text, { async: false })
  } catch {
    return `<pre>${esc(text)}</pre>`
  }
}

/** For the test that keeps the fast path honest: what `marked` alone makes of a text. */
export const markedOnly = (text: string): string => markdown.parse(text, { async: false })

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#5d6675;--line:#dde1e8;--soft:#f4f6f9;--user:#eef3fe;--accent:#2f5bd3;--add:#e6f6ea;--addfg:#116329;--del:#fdecee;--delfg:#a4162a;--err:#a4162a}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--fg:#e4e7ed;--muted:#9aa3b2;--line:#2b313c;--soft:#1b2029;--user:#1a2336;--accent:#7ea2ff;--add:#13301c;--addfg:#8fdca4;--del:#3a1a1f;--delfg:#f5a3ae;--err:#f5a3ae}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif}
.page{max-width:960px;margin:0 auto;padding:24px 20px 80px}h1{font-size:1.6em;margin:0 0 12px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 16px;font-size:.92em}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
:not(pre)>code{background:var(--soft);padding:0 3px;border-radius:3px}
nav.toc{border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin:0 0 16px;font-size:.92em}nav.toc ol{margin:4px 0;padding-left:22px}nav.toc a{color:var(--accent);text-decoration:none}
.bar{position:sticky;top:0;z-index:2;display:flex;gap:8px;align-items:center;background:var(--bg);padding:8px 0;border-bottom:1px solid var(--line);margin-bottom:12px}
.bar input{flex:1;font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}.bar select{font:inherit;padding:4px;border-radius:6px}
.hits{color:var(--muted);font-size:.85em;min-width:6em}
.m{border:1px solid var(--line);border-radius:8px;padding:4px 14px;margin:12px 0}.m.user{background:var(--user)}.m>h2,.m>h3,.m>h4,.m>h5,.m>h6{font-size:.95em;color:var(--muted);margin:8px 0}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:0 10px}details>summary{cursor:pointer;padding:4px 0;overflow-wrap:anywhere}details[open]>summary{border-bottom:1px solid var(--line);margin-bottom:6px}
.t>summary{font-size:.92em}.t .st{color:var(--muted)}.t.fail>summary .st,.err{color:var(--err)}.sub{border-left:3px solid var(--accent)}.note,.warn{font-size:.9em;color:var(--muted)}
.diff .a{background:var(--add);color:var(--addfg)}.diff .d{background:var(--del);color:var(--delfg)}.diff span{display:block}
.hide{display:none}mark{background:#ffe58a;color:#000}
@media print{.bar,nav.toc{display:none}details>summary~*{display:block!important}details{break-inside:avoid}body{font-size:12px}}
`

const SCRIPT = `(()=>{const q=document.getElementById("q"),r=document.getElementById("role"),h=document.getElementById("hits"),ms=[...document.querySelectorAll(".m")];
function run(){const t=q.value.trim().toLowerCase(),role=r.value;let n=0;for(const m of ms){const ok=(role==="all"||m.dataset.role===role)&&(!t||m.textContent.toLowerCase().includes(t));m.classList.toggle("hide",!ok);if(ok&&t){n++;for(const d of m.querySelectorAll("details"))if(d.textContent.toLowerCase().includes(t))d.open=true}}h.textContent=t?n+" matching":""}
q.addEventListener("input",run);r.addEventListener("change",run);addEventListener("keydown",e=>{if(e.key==="/"&&document.activeElement!==q){e.preventDefault();q.focus()}})})()`

const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`

/** The page may load nothing and run only its own script and style. */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src ${sha(STYLE)}`,
  `script-src ${sha(SCRIPT)}`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ")

export type HtmlRender = {
  /** The page after its header, as a stream. Read it first. */
  readonly body: AsyncGenerator<string>
  /** The head, the metadata and the table of contents, complete once `body` has been read. */
  readonly header: () => string
}

type Toc = Array<{ readonly id: string; readonly time: number; readonly text: string }>

export function renderHtml(doc: ExportDocument, options: ReadableOptions): HtmlRender {
  const toc: Toc = []
  return { body: page(doc, options, toc), header: () => header(doc, toc) }
}

/** The whole page in order, holding the body in memory: for small sessions and tests. */
export async function htmlDocument(doc: ExportDocument, options: ReadableOptions): Promise<string> {
  const { body, header } = renderHtml(doc, options)
  const chunks: string[] = []
  for await (const chunk of body) chunks.push(chunk)
  return header() + chunks.join("")
}

async function* page(doc: ExportDocument, options: ReadableOptions, toc: Toc): AsyncGenerator<string> {
  yield* walkSession(doc.tree, 0, htmlView(options, toc))
  yield `</main>\n<script>${SCRIPT}</script>\n</div>\n</body>\n</html>\n`
}

function header(doc: ExportDocument, toc: Toc): string {
  const { tree } = doc
  const info = tree.info
  const title = info.title || "Untitled session"
  const rows = sessionFacts(factsOf(doc)).map(([label, value]) => [label, markup(value, (text) => `<code>${esc(text)}</code>`, esc, esc)] as const)
  let out =
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n` +
    `<meta name="generator" content="${esc(`${doc.overlay.name} ${doc.overlay.version}`)}">\n` +
    `<title>${esc(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<div class="page">\n<header>\n<h1>${esc(title)}</h1>\n<dl class="meta">\n`
  for (const [label, value] of rows) out += `<dt>${label}</dt><dd>${value}</dd>\n`
  out += "</dl>\n"
  if (tree.todos.length > 0) {
    out += `<p class="note">Todos:</p>\n<ul>\n`
    for (const todo of tree.todos) {
      const done = todo.status === "completed"
      out += `<li>${done ? "☑" : "☐"} ${esc(todo.content)}${done ? "" : ` <span class="note">(${esc(todo.status)}${todo.priority ? `, ${esc(todo.priority)} priority` : ""})</span>`}</li>\n`
    }
    out += "</ul>\n"
  }
  for (const w of tree.warnings) out += warning(w)
  out += "</header>\n"
  if (toc.length > 0) {
    out += `<nav class="toc" aria-label="Prompts"><strong>Prompts</strong>\n<ol>\n`
    for (const entry of toc) out += `<li><a href="#${entry.id}">${esc(shortLocal(entry.time))}</a> ${esc(entry.text)}</li>\n`
    out += "</ol>\n</nav>\n"
  }
  out +=
    `<div class="bar" role="search"><input id="q" type="search" placeholder="Search this session (/)" aria-label="Search this session">` +
    `<select id="role" aria-label="Show"><option value="all">All messages</option><option value="user">User</option><option value="assistant">Assistant</option></select>` +
    `<span id="hits" class="hits" aria-live="polite"></span></div>\n<main>\n`
  return out
}

function warning(w: TreeWarning): string {
  const what = w.kind === "part" ? `Part <code>${esc(w.id)}</code>` : w.kind === "message" ? `Message <code>${esc(w.id)}</code>` : `Session <code>${esc(w.id)}</code>`
  return `<p class="warn">Warning: ${what} could not be read: ${esc(w.problem)}. It is left out here; the JSON export lists it under <code>warnings</code>.</p>\n`
}

const level = (depth: number) => Math.min(6, 2 + depth)

/** How each piece of a session looks in HTML; `walkSession` puts them in order. User prompts go to `toc`. */
function htmlView(options: ReadableOptions, toc: Toc): SessionView {
  return {
    warning,
    user: (node, info, depth) => {
      const id = `m-${info.id}`
      if (depth === 0) toc.push({ id, time: info.time.created, text: promptLine(node) })
      return user(node, info, id, level(depth), options)
    },
    assistant: (info, depth) =>
      `<section class="m assistant" id="${esc(`m-${info.id}`)}" data-role="assistant">\n<h${level(depth)}>${assistantHeading(info)}</h${level(depth)}>\n`,
    part: (p) => part(p, options),
    unsupported: (p) =>
      `<p class="note">Unsupported part <code>${esc(p.type)}</code> (<code>${esc(p.id)}</code>): not shown here; the JSON export keeps it.</p>\n`,
    childMissing: (id) => `<p class="note">${childLeftOut(id, (text) => `<code>${esc(text)}</code>`)}</p>\n`,
    endMessage: (info) => `${info.role === "assistant" && info.error ? messageError(info.error) : ""}</section>\n`,
    startSubagent: (tree) => {
      const info = tree.info
      let out = `<details class="sub" open><summary>Subagent: ${esc(info.title || "Untitled session")} · <code>${esc(info.id)}</code>${info.agent ? ` · agent ${esc(info.agent)}` : ""} · created ${esc(isoLocal(info.time.created))}</summary>\n`
      for (const w of tree.warnings) out += warning(w)
      return out
    },
    endSubagent: (tree) =>
      `<p class="note">End of subagent session <code>${esc(tree.info.id)}</code> (${esc(subagentCounts(tree.stats()))}).</p>\n</details>\n`,
    endSession: (tree, depth) => (options.diffs ? sessionDiffs(tree, level(depth)) : ""),
  }
}

function promptLine(node: MessageNode): string {
  for (const { kind, value } of node.parts)
    if (kind === "part" && value.type === "text" && !value.synthetic && !value.ignored && value.text.trim() !== "") return oneLine(value.text, 100)
  return "(no text)"
}

function user(node: MessageNode, info: UserMessage, id: string, h: number, options: ReadableOptions): string {
  let out = `<section class="m user" id="${esc(id)}" data-role="user">\n<h${h}>User · ${esc(shortLocal(info.time.created))}</h${h}>\n`
  for (const { kind, value } of node.parts) {
    if (kind !== "part") continue
    switch (value.type) {
      case "text":
        if (value.ignored) break
        if (continuesCompaction(value)) {
          out += `<p class="note">Continued ${esc(CONTINUE_NOTE)}</p>\n<blockquote>${esc(oneLine(value.text, 500))}</blockquote>\n`
          break
        }
        if (value.synthetic) {
          if (options.toolDetails) out += `<details><summary>Added by the runtime</summary>${truncated(value.text)}</details>\n`
          break
        }
        out += md(value.text)
        break
      case "file":
        out += fileLine(value)
        break
      case "agent":
        out += `<p class="note">Agent @${esc(value.name)}</p>\n`
        break
      case "compaction":
        out += `<p class="note">Compaction ${esc(compactionNote(value.auto))}</p>\n`
        break
      case "subtask":
        out += `<p class="note">Subtask for @${esc(value.agent)}: ${esc(value.description)}</p>\n`
        if (options.toolDetails) out += `<pre>${esc(value.prompt)}</pre>\n`
        break
      default:
        break
    }
  }
  if (options.diffs) for (const diff of info.summary?.diffs ?? []) out += fileDiff(diff)
  return out
}

function assistantHeading(info: AssistantMessage): string {
  const bits = [assistantRole(info), info.agent || info.mode || "agent", `${info.providerID}/${info.modelID}`]
  bits.push(info.time.completed !== undefined ? duration(info.time.completed - info.time.created) : "unfinished")
  return esc(bits.join(" · "))
}

function part(p: Part, options: ReadableOptions): string {
  switch (p.type) {
    case "text":
      if (p.ignored) return ""
      if (p.synthetic) return options.toolDetails ? `<details><summary>Added by the runtime</summary>${truncated(p.text)}</details>\n` : ""
      return md(p.text)
    case "reasoning":
      if (!options.thinking || p.text.trim() === "") return ""
      return `<details class="r"><summary>Thinking</summary>${md(p.text)}</details>\n`
    case "tool":
      return tool(p, options)
    case "file":
      return fileLine(p)
    case "patch":
      if (!options.diffs) return ""
      return `<p class="note">Patch <code>${esc(p.hash)}</code>: ${p.files.length === 0 ? "no files" : p.files.map((f) => `<code>${esc(f)}</code>`).join(", ")}</p>\n`
    case "retry":
      return `<p class="note">Retry attempt ${count(p.attempt)} after an error:</p><pre class="err">${esc(errorText(p.error))}</pre>\n`
    case "compaction":
      return `<p class="note">Compaction ${esc(compactionNote(p.auto))}</p>\n`
    case "agent":
      return `<p class="note">Agent @${esc(p.name)}</p>\n`
    case "subtask":
      return `<p class="note">Subtask for @${esc(p.agent)}: ${esc(p.description)}</p>\n`
    case "step-start":
    case "step-finish":
    case "snapshot":
      return ""
  }
}

function tool(p: ToolPart, options: ReadableOptions): string {
  const state = p.state
  const title = oneLine(toolTitle(p))
  const status = toolState(state)
  const words = `${status.label}${status.took ? ` · ${status.took}` : ""}`
  let inner = ""
  if (state.status === "error") inner += `<pre class="err">${esc(cleanTerminal(state.error))}</pre>`
  if (options.toolDetails) {
    inner += `<p class="note">Input</p><pre>${esc(JSON.stringify(state.input ?? {}, null, 2))}</pre>`
    if (state.status === "completed") inner += `<p class="note">Output</p>${truncated(state.output)}`
  }
  if (options.diffs) {
    const diff = "metadata" in state ? state.metadata?.diff : undefined
    if (typeof diff === "string" && diff.trim() !== "") inner += diffBlock(diff)
  }
  const summary = `<code>${esc(p.tool)}</code>${title ? ` ${esc(title)}` : ""} <span class="st">· ${esc(words)}</span>`
  // Nothing more to show (exported without --tool-details): one line, nothing to open.
  if (inner === "") return `<p class="t">${summary}</p>\n`
  return `<details class="t${status.failed ? " fail" : ""}"><summary>${summary}</summary>${inner}</details>\n`
}

/** Long output cut as in the Markdown export. */
function truncated(text: string): string {
  const { shown, note } = cutOutput(text)
  return note === undefined ? `<pre>${esc(shown)}</pre>` : `<pre>${esc(shown)}</pre><p class="note">${esc(note)}</p>`
}

function diffBlock(diff: string): string {
  const lines = diff.split("\n").map((line) => {
    const cls = line.startsWith("+") && !line.startsWith("+++") ? "a" : line.startsWith("-") && !line.startsWith("---") ? "d" : ""
    return cls ? `<span class="${cls}">${esc(line)}</span>` : `<span>${esc(line)}</span>`
  })
  return `<pre class="diff">${lines.join("")}</pre>`
}

function fileLine(p: FilePart & { readonly payload?: { size?: number; sha256?: string } }): string {
  const bits = [`File <code>${esc(fileName(p))}</code>`, esc(p.mime)]
  if (p.payload && typeof p.payload.size === "number") {
    bits.push(esc(bytes(p.payload.size)))
    if (p.payload.sha256) bits.push(`sha256 <code>${esc(p.payload.sha256)}</code>`)
  } else if (!p.url.startsWith("[OMITTED")) bits.push(`at <code>${esc(oneLine(p.url, 300))}</code>`)
  return `<p class="note">${bits.join(" · ")}</p>\n`
}

function messageError(error: NonNullable<AssistantMessage["error"]>): string {
  return `<p class="err">Error (<code>${esc(error.name)}</code>):</p><pre class="err">${esc(errorText(error))}</pre>\n`
}

function fileDiff(diff: { readonly file?: string; readonly patch?: string; readonly additions: number; readonly deletions: number; readonly status?: string }): string {
  let out = `<p class="note">Changed <code>${esc(diff.file ?? "?")}</code> · +${count(diff.additions)} −${count(diff.deletions)}${diff.status ? ` · ${esc(diff.status)}` : ""}</p>\n`
  if (diff.patch && diff.patch.trim() !== "") out += `${diffBlock(diff.patch)}\n`
  return out
}

function sessionDiffs(tree: SessionTree, h: number): string {
  const diffs = tree.info.summary?.diffs ?? []
  if (diffs.length === 0) return ""
  let out = `<section class="m" data-role="changes"><h${h}>Changes</h${h}>\n`
  for (const diff of diffs) out += fileDiff(diff)
  return `${out}</section>\n`
}
