/**
 * The overlay's addition to the runtime's own web app (`opencode web`): an
 * "Export session log" button in the open session's header, beside its "More
 * options" menu, and the shortcut Ctrl+Alt+E (⌘⌥E on a Mac). Both open the
 * overlay's export dialog (`/logs/#/export/<id>`) in a frame over the app; the
 * dialog links to every session log at /logs/.
 *
 * The app's own "Export..." in that menu and "Export session" in its command
 * palette (an unredacted JSON download, what the overlay's export replaces, as
 * `/export` in the TUI) open the overlay's dialog instead, under the
 * overlay's name.
 *
 * Beside the export button, "Search sessions" opens the full-text search of
 * every session (the session logs app) in a new tab.
 *
 * The overlay server adds this script to the app's page and changes nothing
 * else. Beyond those two entries, it only adds elements of its own. Where the
 * header is not what the app of the runtime version it was written for has
 * (another version, a redesign), the button floats in a corner instead: the
 * export stays one click away.
 */
import { exportHash, SEARCH_HASH, sessionInPath } from "./paths.ts"

/** The runtime whose app this was written against (its header's structure). */
const WRITTEN_FOR = "1.18.33"
const LABEL = "Export session log"
const BUTTON_ID = "opencode-overlay-export"
const FRAME_ID = "opencode-overlay-export-frame"
const SEARCH_LABEL = "Search sessions"
const SEARCH_ID = "opencode-overlay-search"
/** How long a session page may take to show its header before the button floats instead. */
const HEADER_GRACE_MS = 3_000

const mac = /Mac|iPhone|iPad/.test(navigator.platform)
const SHORTCUT_TEXT = mac ? "⌘⌥E" : "Ctrl+Alt+E"

const runtimeVersion = document.querySelector<HTMLScriptElement>("script[data-runtime-version]")?.dataset.runtimeVersion
const knownApp = runtimeVersion !== undefined && decodeURIComponent(runtimeVersion) === WRITTEN_FOR

const ICON = `<svg width="16" height="16" viewBox="0 0 16 16" fill="none" aria-hidden="true"><path d="M8 2.5v7.5M4.5 6.5 8 10l3.5-3.5M3 12.5h10" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round"/></svg>`

const SEARCH_ICON = `<svg width="16" height="16" viewBox="0 0 16 16" fill="none" aria-hidden="true"><circle cx="7" cy="7" r="4.25" stroke="currentColor" stroke-width="1.3"/><path d="m10.25 10.25 3.25 3.25" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/></svg>`

function sessionTitle(): string | undefined {
  return document.querySelector("[data-session-title] h1")?.textContent?.trim() || undefined
}

function openExport(sessionID: string): void {
  if (document.getElementById(FRAME_ID)) return
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
  const frame = document.createElement("div")
  frame.id = FRAME_ID
  frame.style.cssText = "position:fixed;inset:0;z-index:2147483646;"
  const iframe = document.createElement("iframe")
  iframe.title = LABEL
  iframe.src = `/logs/${exportHash(sessionID, sessionTitle())}`
  iframe.style.cssText = "width:100%;height:100%;border:0;background:transparent;color-scheme:normal;"
  frame.append(iframe)
  document.body.append(frame)
  iframe.focus()
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== location.origin || event.source !== iframe.contentWindow) return
    const data = event.data as { source?: unknown; type?: unknown } | null
    if (data?.source !== "opencode-overlay" || data.type !== "export-closed") return
    window.removeEventListener("message", onMessage)
    frame.remove()
    opener?.focus()
  }
  window.addEventListener("message", onMessage)
}

function button(floating: boolean): HTMLButtonElement {
  const b = document.createElement("button")
  b.id = BUTTON_ID
  b.type = "button"
  b.title = `${LABEL} (${SHORTCUT_TEXT})`
  b.setAttribute("aria-label", LABEL)
  b.setAttribute("aria-keyshortcuts", mac ? "Meta+Alt+E" : "Control+Alt+E")
  b.dataset.placement = floating ? "floating" : "header"
  if (floating) {
    b.innerHTML = `${ICON}<span>${LABEL}</span>`
    b.style.cssText =
      "position:fixed;right:16px;bottom:16px;z-index:2147483645;display:flex;align-items:center;gap:6px;padding:6px 10px;" +
      "border-radius:8px;border:1px solid rgb(0 0 0 / 0.15);background:Canvas;color:CanvasText;font:12px system-ui,sans-serif;cursor:pointer;"
  } else {
    // The app's own look for a header action (its styles key on these attributes).
    b.dataset.component = "icon-button-v2"
    b.dataset.size = "large"
    b.dataset.variant = "ghost-muted"
    b.innerHTML = ICON
  }
  b.addEventListener("click", () => {
    const session = sessionInPath(location.pathname)
    if (session) openExport(session.sessionID)
  })
  return b
}

/**
 * "Search sessions": the full-text search of every session, in the session
 * logs app (`/logs/#/search`), in a tab of its own so the chat stays open.
 */
function searchLink(floating: boolean): HTMLAnchorElement {
  const a = document.createElement("a")
  a.id = SEARCH_ID
  a.href = `/logs/${SEARCH_HASH}`
  a.target = "_blank"
  a.rel = "noopener"
  a.title = `${SEARCH_LABEL}: every session's text, in the session logs`
  a.setAttribute("aria-label", SEARCH_LABEL)
  a.dataset.placement = floating ? "floating" : "header"
  if (floating) {
    a.innerHTML = `${SEARCH_ICON}<span>${SEARCH_LABEL}</span>`
    a.style.cssText =
      "position:fixed;right:16px;bottom:56px;z-index:2147483645;display:flex;align-items:center;gap:6px;padding:6px 10px;text-decoration:none;" +
      "border-radius:8px;border:1px solid rgb(0 0 0 / 0.15);background:Canvas;color:CanvasText;font:12px system-ui,sans-serif;cursor:pointer;"
  } else {
    a.dataset.component = "icon-button-v2"
    a.dataset.size = "large"
    a.dataset.variant = "ghost-muted"
    a.style.cssText = "display:inline-flex;align-items:center;justify-content:center;"
    a.innerHTML = SEARCH_ICON
  }
  return a
}

/** The search link beside the export button, in the same placement (or gone with it). */
function syncSearch(): void {
  const exportButton = document.getElementById(BUTTON_ID)
  const current = document.getElementById(SEARCH_ID)
  if (!exportButton) return current?.remove()
  const placement = exportButton.dataset.placement
  if (current?.dataset.placement === placement && (placement === "floating" || current?.nextElementSibling === exportButton)) return
  current?.remove()
  const link = searchLink(placement === "floating")
  if (placement === "floating") document.body.append(link)
  else exportButton.parentElement?.insertBefore(link, exportButton)
}

/** The runtime's menu item this replaces, by the words this version of its app shows. */
const RUNTIME_EXPORT_ITEM = "Export..."

/** Redirects the app's own "Export..." menu item (in an open menu) to the overlay's dialog. */
function redirectMenuExport(sessionID: string): void {
  const items = Array.from(document.querySelectorAll<HTMLElement>("[role='menu'] [role='menuitem']:not([data-overlay-export])"))
  for (const item of items) {
    if (item.textContent?.trim() !== RUNTIME_EXPORT_ITEM) continue
    item.dataset.overlayExport = ""
    // The innermost element holding the words (they may be split over several text nodes).
    const holder = [item, ...Array.from(item.querySelectorAll<HTMLElement>("*"))].filter((el) => el.textContent?.trim() === RUNTIME_EXPORT_ITEM).at(-1)
    if (holder) {
      holder.textContent = `${LABEL}…`
      holder.style.whiteSpace = "nowrap"
    }
    const take = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== "Enter" && event.key !== " ") return
      event.preventDefault()
      event.stopImmediatePropagation()
      // Close the app's menu the way a user would, then open the dialog.
      item.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }))
      openExport(sessionID)
    }
    for (const type of ["click", "pointerup", "pointerdown", "keydown"]) item.addEventListener(type, take, true)
  }
}

/** The runtime's palette command this replaces, and what it says, in this version of its app. */
const RUNTIME_PALETTE_TITLE = "Export session"
const PALETTE_DESCRIPTION = "Markdown or JSON, secrets redacted (the overlay's export)"

/** A row of the app's command palette that is its export (relabelled or not yet). */
function paletteExportRow(element: Element | null): HTMLElement | undefined {
  const row = element?.closest<HTMLElement>(".command-palette-v2-row")
  const title = row?.querySelector(".command-palette-v2-title")?.textContent?.trim()
  return row && (title === RUNTIME_PALETTE_TITLE || row.dataset.overlayExport !== undefined) ? row : undefined
}

/** Shows the app's palette export under the overlay's name (what runs it is `takePaletteExport`). */
function relabelPaletteExport(): void {
  for (const row of Array.from(document.querySelectorAll<HTMLElement>(".command-palette-v2-row:not([data-overlay-export])"))) {
    if (!paletteExportRow(row)) continue
    row.dataset.overlayExport = ""
    const title = row.querySelector<HTMLElement>(".command-palette-v2-title")
    const description = row.querySelector<HTMLElement>(".command-palette-v2-description")
    if (title) title.textContent = LABEL
    if (description) description.textContent = PALETTE_DESCRIPTION
  }
}

/**
 * Runs the overlay's export where the app's palette would run its own: a
 * click on that row, or Enter while it is the selected one (the palette
 * handles Enter on its search box). Decided when the event comes, so a row
 * not relabelled yet is taken too.
 */
function takePaletteExport(event: Event): void {
  const session = sessionInPath(location.pathname)
  if (!session) return
  const row =
    event instanceof KeyboardEvent
      ? event.key === "Enter" && !event.isComposing
        ? paletteExportRow(document.querySelector(".command-palette-v2 .command-palette-v2-row[aria-selected='true']"))
        : undefined
      : paletteExportRow(event.target instanceof Element ? event.target : null)
  if (!row) return
  event.preventDefault()
  event.stopImmediatePropagation()
  if (event.type === "pointerdown") return // the click that follows opens it, once
  // Close the palette the way a user would, then open the dialog.
  const palette = row.closest(".command-palette-v2") ?? document.activeElement
  palette?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }))
  openExport(session.sessionID)
}

let sessionSeen: { readonly id: string; readonly at: number } | undefined

/** Puts the button where it belongs for the page now shown (or takes it away). */
function sync(): void {
  const session = sessionInPath(location.pathname)
  const current = document.getElementById(BUTTON_ID)
  if (!session) {
    current?.remove()
    sessionSeen = undefined
    return
  }
  if (sessionSeen?.id !== session.sessionID) sessionSeen = { id: session.sessionID, at: Date.now() }
  if (knownApp) {
    redirectMenuExport(session.sessionID)
    relabelPaletteExport()
  }
  const anchor = knownApp ? document.querySelector("[data-session-title] button[aria-label='More options']") : null
  if (anchor?.parentElement) {
    if (current?.dataset.placement === "header" && current.nextElementSibling === anchor) return
    current?.remove()
    anchor.parentElement.insertBefore(button(false), anchor)
    return
  }
  if (current?.dataset.placement === "floating") return
  if (knownApp && Date.now() - sessionSeen.at < HEADER_GRACE_MS) {
    setTimeout(schedule, HEADER_GRACE_MS)
    return
  }
  current?.remove()
  document.body.append(button(true))
}

let queued = false
function schedule(): void {
  if (queued) return
  queued = true
  requestAnimationFrame(() => {
    queued = false
    try {
      sync()
      syncSearch()
    } catch (error) {
      console.warn("opencode overlay: the export control could not be placed", error)
    }
  })
}

/** The app sizes its menu for its own words (and sets that again on every render): let it fit ours. */
const STYLE = `[role="menu"]:has([data-overlay-export]) { min-width: max-content !important; }`

function start(): void {
  const style = document.createElement("style")
  style.textContent = STYLE
  document.head.append(style)
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true })
  if (knownApp) for (const type of ["keydown", "pointerdown", "click"]) window.addEventListener(type, takePaletteExport, true)
  window.addEventListener("popstate", schedule)
  window.addEventListener(
    "keydown",
    (event) => {
      if (!(mac ? event.metaKey : event.ctrlKey) || !event.altKey || event.code !== "KeyE") return
      // AltGr is Ctrl+Alt on Windows and some Linux layouts: AltGr+E types "€" there, and must keep doing so.
      if (event.getModifierState("AltGraph")) return
      const session = sessionInPath(location.pathname)
      if (!session) return
      event.preventDefault()
      event.stopPropagation()
      openExport(session.sessionID)
    },
    true,
  )
  schedule()
}

if (document.body) start()
else document.addEventListener("DOMContentLoaded", start, { once: true })
