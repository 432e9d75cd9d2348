/**
 * Markdown to a safe DOM fragment. Session content is untrusted: whatever it
 * holds is shown, never run.
 *
 * 1. marked renders the Markdown, with raw HTML in the text escaped (it shows
 *    as the characters it is made of, `<script>` included) and images turned
 *    into links (a session must not make the page load anything from elsewhere).
 * 2. DOMPurify sanitizes the HTML anyway, as a second, independent layer.
 * 3. Links keep only web and mail addresses and open in a new tab, without referrer
 *    (an in-page `#…` link would steer the app itself, so it goes too).
 * 4. Headings move down below the heading the text is shown under (a `# ` line
 *    in a message must not look like the page's title or the next message).
 */
import DOMPurify, { type Config } from "dompurify"
import { Marked, type Tokens } from "marked"

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      const text = escapeHtml(token.text)
      return token.block ? `<p class="raw-html">${text.trimEnd()}</p>\n` : text
    },
    checkbox(token: Tokens.Checkbox): string {
      return token.checked
        ? `<span class="task task--done" role="img" aria-label="done">✓</span> `
        : `<span class="task" role="img" aria-label="to do">○</span> `
    },
    image(token: Tokens.Image): string {
      const label = token.text.trim() === "" ? "image" : `image: ${token.text}`
      return `<a class="image-ref" href="${escapeHtml(token.href)}">${escapeHtml(label)}</a>`
    },
  },
})

const SAFE_URL = /^(?:https?:|mailto:)/i

const PURIFY: Config & { RETURN_DOM_FRAGMENT: true } = {
  RETURN_DOM_FRAGMENT: true,
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "img", "video", "audio", "source", "picture", "iframe", "object", "embed", "svg", "math"],
  FORBID_ATTR: ["style", "srcset", "action", "formaction", "target"],
  ALLOW_DATA_ATTR: false,
}

/**
 * The rendered, sanitized document. Only the caller's container ever holds it.
 * `headingShift`: how many levels headings move down (`#` becomes
 * `h${1 + headingShift}`, at most `h6`).
 */
export function renderMarkdown(markdown: string, headingShift = 0): DocumentFragment {
  const html = marked.parse(markdown, { async: false })
  const fragment = DOMPurify.sanitize(html, PURIFY)
  if (headingShift > 0) {
    for (const heading of Array.from(fragment.querySelectorAll("h1, h2, h3, h4, h5, h6"))) {
      const level = Math.min(6, Number(heading.tagName.slice(1)) + headingShift)
      const moved = heading.ownerDocument.createElement(`h${level}`)
      moved.append(...Array.from(heading.childNodes))
      heading.replaceWith(moved)
    }
  }
  for (const a of Array.from(fragment.querySelectorAll("a"))) {
    const href = a.getAttribute("href") ?? ""
    if (!SAFE_URL.test(href.trim())) {
      a.removeAttribute("href")
      continue
    }
    a.setAttribute("target", "_blank")
    a.setAttribute("rel", "noopener noreferrer nofollow")
  }
  return fragment
}
