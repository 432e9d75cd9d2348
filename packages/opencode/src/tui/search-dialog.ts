/**
 * `/search` in the TUI: the full-text search of this project's sessions
 * (`opencode search --json --project <dir>`, the overlay CLI in a
 * subprocess: the TUI loads none of the index). A prompt for the words, then
 * the hits, best first, each with its snippet, session, time and who said it;
 * choosing one opens its session. The runtime's dialogs cannot be refilled
 * while one types, so the words are asked first and the hits listed after;
 * the hits' own filter narrows them further as one types.
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
const RESULT_MS = 10_000

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

/** `/search`: asks for the words (the last ones again, to refine them). */
export function startSearch(api: TuiPluginApi, directory: string, words = ""): void {
  api.ui.dialog.replace(() =>
    api.ui.DialogPrompt({
      title: `${SEARCH_TITLE} of this project`,
      placeholder: 'words, "a phrase", prefix*, -left-out',
      value: words,
      onConfirm: (value) => {
        if (value.trim() === "") return api.ui.dialog.clear()
        void showHits(api, directory, value.trim())
      },
      onCancel: () => api.ui.dialog.clear(),
    }),
  )
}

async function showHits(api: TuiPluginApi, directory: string, words: string): Promise<void> {
  api.ui.dialog.clear()
  api.ui.toast({ variant: "info", message: `Searching for ${words}…`, duration: RESULT_MS })
  const found = await search(api, words, directory)
  if (found.kind === "problem") {
    api.ui.toast({ variant: "error", title: "Search failed", message: found.message, duration: RESULT_MS })
    return startSearch(api, directory, words)
  }
  const hits = found.answer.hits
  if (hits.length === 0) {
    api.ui.toast({ variant: "info", message: `No session of this project holds ${words}.`, duration: RESULT_MS })
    return startSearch(api, directory, words)
  }
  type Choice = HitJson | "again"
  api.ui.dialog.replace(() =>
    api.ui.DialogSelect<Choice>({
      title: `${SEARCH_TITLE}: ${words} (${hits.length}${hits.length === LIMIT ? "+" : ""} hits)`,
      placeholder: "Filter the hits",
      options: [
        ...hits.map((hit) => ({ ...hitRow(hit), value: hit as Choice })),
        { title: "Search again…", value: "again" as Choice, description: "change the words" },
      ],
      onSelect: (option) => {
        if (option.value === "again") return startSearch(api, directory, words)
        api.ui.dialog.clear()
        api.route.navigate("session", { sessionID: option.value.rootSessionID })
      },
    }),
  )
  api.ui.dialog.setSize("large")
}
