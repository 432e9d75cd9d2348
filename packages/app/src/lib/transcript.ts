/**
 * Reading aids over the rendered export (DOM in, same DOM rearranged): the
 * export's own layout, described in the overlay's `export/markdown.ts`, is
 * recognized and given structure. Only already-sanitized nodes are moved and
 * only text is read; content that merely looks like this layout just gets
 * the same styling. Anything unrecognized is left exactly as rendered.
 *
 * - `# title` + the metadata list become a collapsed "Session details" grid
 *   with the main numbers on its summary line (the view shows the title);
 * - each `## User · …` / `## Assistant · …` section becomes an article;
 * - `**Tool** \`name\` · …` lines become collapsible tool calls holding their
 *   error, input, output and diff blocks;
 * - `> **Thinking**` quotes become collapsible reasoning;
 * - subagent sessions (`### Subagent: …` up to `*End of subagent session …*`) are boxed.
 */

const doc = () => document

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc().createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

const text = (node: Node | null | undefined) => (node?.textContent ?? "").trim()
const isTag = (node: Node | null | undefined, tag: string): node is HTMLElement =>
  node instanceof HTMLElement && node.tagName === tag.toUpperCase()

/** The first element child of a paragraph, when the paragraph starts with it. */
function leading(p: Element, tag: string): HTMLElement | undefined {
  const first = p.firstChild
  return isTag(first, tag) ? first : undefined
}

/** Siblings after `start` up to (not including) the first that `stop` accepts. */
function siblingsUntil(start: Element, stop: (node: Element) => boolean): Element[] {
  const out: Element[] = []
  for (let n = start.nextElementSibling; n && !stop(n); n = n.nextElementSibling) out.push(n)
  return out
}

export function enhanceTranscript(root: DocumentFragment | HTMLElement): void {
  facts(root)
  subagents(root)
  toolCalls(root)
  thinking(root)
  messages(root)
  keys(root)
}

function facts(root: DocumentFragment | HTMLElement): void {
  const h1 = root.firstElementChild
  if (!isTag(h1, "h1")) return
  const list = h1.nextElementSibling
  h1.remove()
  if (!isTag(list, "ul")) return
  const dl = el("dl", "facts")
  dl.setAttribute("aria-label", "About this session")
  for (const li of Array.from(list.children)) {
    const label = li.firstChild
    const colon = label?.nodeType === Node.TEXT_NODE ? (label.textContent ?? "").indexOf(": ") : -1
    if (!label || colon < 0) return // not the metadata list after all: leave it as it is
    const name = (label.textContent ?? "").slice(0, colon)
    label.textContent = (label.textContent ?? "").slice(colon + 2)
    const row = el("div", "fact")
    const dd = el("dd")
    dd.append(...Array.from(li.childNodes))
    row.append(el("dt", undefined, name), dd)
    dl.append(row)
  }
  // Collapsed by default: a line of the main numbers, the whole list on demand.
  const details = el("details", "facts-box")
  const summary = el("summary")
  summary.append(el("span", "facts-label", "Session details"))
  for (const row of Array.from(dl.children)) {
    const name = text(row.querySelector("dt"))
    if (!SUMMARY_FACTS.has(name)) continue
    const value = text(row.querySelector("dd")).replace(/ \(.*\)$/, "")
    summary.append(el("span", "facts-chip", `${name.toLowerCase()} ${value}`))
  }
  details.append(summary, dl)
  list.replaceWith(details)
}

const SUMMARY_FACTS = new Set(["Models", "Messages", "Tool calls", "Errors", "Cost"])

const MESSAGE = /^(User|Assistant) · (.*)$/s

function messages(root: DocumentFragment | HTMLElement): void {
  for (const h2 of Array.from(root.children).filter((n) => isTag(n, "h2"))) {
    const match = MESSAGE.exec(text(h2))
    const kind = match ? match[1]!.toLowerCase() : text(h2) === "Changes" ? "changes" : undefined
    if (!kind) continue
    const article = el("article", `message message--${kind}`)
    if (match) {
      h2.replaceChildren(el("span", "message-role", match[1]), el("span", "message-meta", match[2]))
    }
    const body = siblingsUntil(h2, (n) => isTag(n, "h2") || isTag(n, "h1"))
    h2.replaceWith(article)
    article.append(h2, ...body)
  }
}

const DETAIL_LABELS = new Set(["Input:", "Output:", "Diff:"])

/** A paragraph that introduces a block of a tool call: `*Input:*`, `**Error:**`, a truncation note. */
function isToolDetail(node: Element): boolean {
  if (!isTag(node, "p")) return false
  const em = leading(node, "em")
  if (em && (DETAIL_LABELS.has(text(em)) || text(em).startsWith("… "))) return node.childNodes.length === 1
  const strong = leading(node, "strong")
  return !!strong && text(strong) === "Error:" && node.childNodes.length === 1
}

function toolCalls(root: DocumentFragment | HTMLElement): void {
  for (const p of Array.from(root.querySelectorAll("p"))) {
    const label = leading(p, "strong")
    if (!label || text(label) !== "Tool" || !isTag(label.nextSibling?.nextSibling, "code")) continue
    const failed = Array.from(p.querySelectorAll("strong")).some((s) => text(s) === "failed")
    const body: Element[] = []
    for (let n = p.nextElementSibling; n && isToolDetail(n); n = n.nextElementSibling) {
      body.push(n)
      const block = n.nextElementSibling
      if (block && isTag(block, "pre")) {
        body.push(block)
        n = block
      }
    }
    label.replaceWith(el("span", "tool-badge", "Tool"))
    const line = el("span", "tool-line")
    line.append(...Array.from(p.childNodes))
    const className = `tool${failed ? " tool--failed" : ""}`
    if (body.length === 0) {
      const div = el("div", className)
      div.append(line)
      p.replaceWith(div)
      continue
    }
    const details = el("details", className)
    const summary = el("summary")
    summary.append(line)
    const inner = el("div", "tool-body")
    details.append(summary, inner)
    p.replaceWith(details)
    inner.append(...body)
  }
}

function thinking(root: DocumentFragment | HTMLElement): void {
  for (const quote of Array.from(root.querySelectorAll("blockquote"))) {
    const first = quote.firstElementChild
    if (!first || !isTag(first, "p") || text(first) !== "Thinking" || !leading(first, "strong")) continue
    const details = el("details", "thinking")
    details.append(el("summary", undefined, "Thinking"))
    const inner = el("div", "thinking-body")
    first.remove()
    inner.append(...Array.from(quote.childNodes))
    details.append(inner)
    quote.replaceWith(details)
  }
}

function subagents(root: DocumentFragment | HTMLElement): void {
  for (const heading of Array.from(root.querySelectorAll("h3, h5"))) {
    if (!text(heading).startsWith("Subagent: ") || !heading.parentNode) continue
    const body = siblingsUntil(heading, (n) => isTag(n, "p") && text(leading(n, "em")).startsWith("End of subagent session"))
    const end = (body.at(-1) ?? heading).nextElementSibling
    if (!end) continue // no end marker: not a subagent section after all
    const section = el("section", "subagent")
    section.setAttribute("aria-label", text(heading))
    heading.replaceWith(section)
    end.classList.add("subagent-end")
    section.append(heading, ...body, end)
  }
}

/** Stable keys for collapsible blocks, so a live refresh keeps what was open. */
function keys(root: DocumentFragment | HTMLElement): void {
  let n = 0
  for (const details of Array.from(root.querySelectorAll("details"))) details.dataset.key = `${details.className.split(" ")[0]}-${n++}`
}
