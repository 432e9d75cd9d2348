/**
 * `/search` in the TUI: the full-text search of this project's sessions
 * (`opencode search --json --project <dir>`, the overlay CLI in a
 * subprocess: the TUI loads none of the index). It searches as one types
 * (after a pause) and lists the hits, best first, each with its snippet,
 * session, time and who said it; choosing one opens its session.
 */
import type { TuiPluginApi } from "@opencode-ai/plugin/tui"
import * as Effect from "effect/Effect"
import { ExitCode } from "../errors/exit-codes.ts"
import { shortLocal } from "../export/document/format.ts"
import type { HitJson, SearchAnswer } from "../history/request.ts"
import { userEnvironment } from "../launch/launch-info.ts"
import { OVERLAY_BIN, OverlayCli } from "../session-command/overlay-cli.ts"

export const SEARCH_TITLE = "Search sessions"
/** Hits listed; `opencode search` says the rest is there with --limit. */
const LIMIT = 50

/** Who said it, as the hit list shows it. */
const who = (hit: HitJson) => (hit.role === "tool" ? `tool ${hit.tool ?? ""}`.trim() : hit.kind === "title" ? "title" : `${hit.role} ${hit.kind}`)

/** One hit as a row: the snippet, then where it is. */
export function hitRow(hit: HitJson): { readonly title: string; readonly description: string } {
  const session = hit.rootSessionID === hit.sessionID ? hit.title : `${hit.rootTitle} › ${hit.title}`
  return {
    title: hit.snippet.replace(/\s+/g, " ").trim(),
    description: `${session} · ${shortLocal(Date.parse(hit.time))} · ${who(hit)}`,
  }
}

type Searched = { readonly kind: "hits"; readonly answer: SearchAnswer } | { readonly kind: "problem"; readonly message: string }

/** Runs the overlay's search; a bad query or a failure comes back as the CLI's own words. */
async function search(api: TuiPluginApi, words: string, directory: string): Promise<Searched> {
  const effect = Effect.gen(function* () {
    const cli = yield* OverlayCli
    return yield* cli.run("search", ["search", "--json", "--project", directory, "--limit", String(LIMIT), "--", words], { cwd: directory })
  })
  try {
    const out = await Effect.runPromise(Effect.provide(effect, OverlayCli.layer(OVERLAY_BIN, userEnvironment(process.env))), {
      signal: api.lifecycle.signal,
    })
    if (out.code === ExitCode.ok || out.code === ExitCode.notFound) {
      const answer = readAnswer(out.stdout)
      if (answer) return { kind: "hits", answer }
    }
    return { kind: "problem", message: out.stderr.trim().replace(/^opencode search: /, "") || `opencode search ended with ${out.code}` }
  } catch (cause) {
    return { kind: "problem", message: cause instanceof Error ? cause.message : String(cause) }
  }
}

/** `opencode search --json`'s answer, or undefined where stdout is not one. */
function readAnswer(stdout: string): SearchAnswer | undefined {
  try {
    const value = JSON.parse(stdout) as Partial<SearchAnswer> | null
    return value && typeof value.query === "string" && Array.isArray(value.hits) ? (value as SearchAnswer) : undefined
  } catch {
    return undefined
  }
}

/**
 * The dialog's state lives here; the runtime's select reads its title and
 * options through getters that also read one key of the TUI's key-value
 * store (`api.kv`, a reactive store in the pinned runtime): bumping that key
 * makes the select read them again. The store keeps the key in its file
 * (`kv.json`), a counter and nothing else.
 */
const REVISION_KEY = "opencode-local-overlay.search.revision"
/** A pause in typing before the search runs. */
const TYPING_PAUSE_MS = 250

type State =
  | { readonly kind: "empty" }
  | { readonly kind: "searching"; readonly words: string }
  | { readonly kind: "hits"; readonly words: string; readonly hits: ReadonlyArray<HitJson> }
  | { readonly kind: "problem"; readonly words: string; readonly message: string }

/** The dialog's title: what it is doing, or what it found. */
export function searchTitle(state: State): string {
  switch (state.kind) {
    case "empty":
      return `${SEARCH_TITLE} of this project`
    case "searching":
      return `${SEARCH_TITLE}: ${state.words}…`
    case "hits":
      return state.hits.length === 0
        ? `${SEARCH_TITLE}: no session of this project holds ${state.words}`
        : `${SEARCH_TITLE}: ${state.words} (${state.hits.length}${state.hits.length === LIMIT ? "+" : ""} hits)`
    case "problem":
      return `${SEARCH_TITLE}: ${state.message}`
  }
}

/** `/search`: the words are typed into the dialog; after a pause the project's sessions are searched and the hits listed. */
export function startSearch(api: TuiPluginApi, directory: string): void {
  let state: State = { kind: "empty" }
  let revision = 0
  let pause: ReturnType<typeof setTimeout> | undefined
  // Only the newest search's answer is shown: an older one that ends later is dropped.
  let latest = 0
  const show = (next: State) => {
    state = next
    api.kv.set(REVISION_KEY, ++revision)
  }
  const current = () => {
    api.kv.get(REVISION_KEY)
    return state
  }
  const run = async (words: string) => {
    const mine = ++latest
    show({ kind: "searching", words })
    const found = await search(api, words, directory)
    if (mine !== latest) return
    show(found.kind === "problem" ? { kind: "problem", words, message: found.message } : { kind: "hits", words, hits: found.answer.hits })
  }
  api.ui.dialog.replace(() =>
    api.ui.DialogSelect<HitJson>({
      get title() {
        return searchTitle(current())
      },
      placeholder: 'words, "a phrase", prefix*, -left-out',
      get options() {
        const now = current()
        return now.kind === "hits" ? now.hits.map((hit) => ({ ...hitRow(hit), value: hit })) : []
      },
      // The words are the query, not a filter of the rows.
      skipFilter: true,
      onFilter: (text) => {
        clearTimeout(pause)
        const words = text.trim()
        if (words === "") {
          latest++
          return show({ kind: "empty" })
        }
        pause = setTimeout(() => void run(words), TYPING_PAUSE_MS)
      },
      onSelect: (option) => {
        clearTimeout(pause)
        api.ui.dialog.clear()
        api.route.navigate("session", { sessionID: option.value.rootSessionID })
      },
    }),
  )
  api.ui.dialog.setSize("large")
}
