import { createMemo, createResource, createSignal, onCleanup, onMount, Show } from "solid-js"
import { EmptyState } from "./components/EmptyState.tsx"
import { Icon } from "./components/Icon.tsx"
import { PolicyBanner } from "./components/PolicyBanner.tsx"
import { SessionList } from "./components/SessionList.tsx"
import { SessionSearch } from "./components/SessionSearch.tsx"
import { SessionView } from "./components/SessionView.tsx"
import { Toast } from "./components/Toast.tsx"
import { TextHits } from "./components/TextHits.tsx"
import { fetchCommands, fetchPolicy, fetchSearch, fetchSessions } from "./lib/api.ts"
import { exportLabel } from "./lib/commands.ts"
import { debounce, subscribe } from "./lib/events.ts"
import { openSession, searchFromHash, useOpenMessage, useOpenSession } from "./lib/route.ts"
import { groupByProject, matches } from "./lib/search.ts"

/** The list is read again this often while the page is visible: other processes write sessions too. */
const POLL_MS = 5_000

export function App() {
  const openID = useOpenSession()
  const openMessage = useOpenMessage()
  const [sessions, { refetch: refetchSessions }] = createResource(fetchSessions)
  const [commands] = createResource(fetchCommands)
  // Opened as the search ("Search sessions" in the runtime's app): the box focused, filled from ?q=.
  const asked = searchFromHash(location.hash)
  const [query, setQuery] = createSignal(asked?.q ?? "")
  const [now, setNow] = createSignal(Date.now())
  const [live, setLive] = createSignal(false)
  const [changed, setChanged] = createSignal(0)
  const [toast, setToast] = createSignal<string>()
  let main: HTMLElement | undefined

  const all = () => sessions.latest ?? []
  const summary = createMemo(() => all().find((s) => s.id === openID()))
  const directory = createMemo(() => summary()?.directory)
  const [policy] = createResource(() => directory() ?? "", (dir) => fetchPolicy(dir || undefined))
  const filtered = createMemo(() => all().filter((s) => matches(s, query())))
  // The full text is searched on the server once typing pauses; titles and folders filter the list at once.
  const [textQuery, setTextQuery] = createSignal(asked?.q.trim() ?? "")
  const searchText = debounce(() => setTextQuery(query().trim()), 300, 1_500)
  const [textHits] = createResource(
    () => textQuery() || undefined,
    (q) => fetchSearch(q),
  )
  const groups = createMemo(() => groupByProject(filtered()))

  const refreshList = debounce(() => void refetchSessions(), 400, 2_000)
  const refreshOpen = debounce(() => setChanged((n) => n + 1), 250, 1_000)

  onMount(() => {
    const events = subscribe(
      "/event",
      (sessionID) => {
        refreshList()
        if (sessionID === openID()) refreshOpen()
      },
      setLive,
    )
    const poll = setInterval(() => {
      setNow(Date.now())
      if (document.visibilityState === "visible") void refetchSessions()
    }, POLL_MS)
    const onVisible = () => document.visibilityState === "visible" && void refetchSessions()
    document.addEventListener("visibilitychange", onVisible)
    onCleanup(() => {
      events.close()
      clearInterval(poll)
      refreshList.cancel()
      refreshOpen.cancel()
      searchText.cancel()
      document.removeEventListener("visibilitychange", onVisible)
    })
  })

  let toastTimer: ReturnType<typeof setTimeout> | undefined
  const notify = (message: string) => {
    setToast(message)
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => setToast(undefined), 8_000)
    void refetchSessions()
  }

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <Icon name="logo" class="brand-mark" />
          <span class="brand-name">OpenCode</span>
          <span class="brand-sub">local sessions</span>
        </div>
        <PolicyBanner policy={policy.latest} error={policy.error ? (policy.error as Error).message : undefined} />
      </header>
      <div class="layout">
        <aside class="sidebar" aria-label="Session list">
          <SessionSearch
            value={query()}
            onInput={(value) => {
              setQuery(value)
              if (value.trim() === "") {
                searchText.cancel()
                setTextQuery("")
              } else searchText()
            }}
            onSubmit={() => {
              const first = groups()[0]?.sessions[0]
              if (first) openSession(first.id)
            }}
            shown={filtered().length}
            total={all().length}
            autofocus={asked !== undefined}
          />
          <Show when={sessions.error}>
            <p class="notice notice--error" role="alert">
              Sessions could not be read: {(sessions.error as Error).message}
            </p>
          </Show>
          <SessionList groups={groups()} openID={openID()} now={now()} onRevoked={notify} />
          <Show when={!sessions.loading && all().length > 0 && filtered().length === 0}>
            <p class="list-empty">No session's title or folder matches “{query()}”.</p>
          </Show>
          <Show when={query().trim() !== ""}>
            <TextHits
              hits={textQuery() === query().trim() ? (textHits.latest?.hits ?? []) : []}
              now={now()}
              searching={textHits.loading || textQuery() !== query().trim()}
              error={textHits.error ? (textHits.error as Error).message : undefined}
            />
          </Show>
        </aside>
        <main id="main" class="main" ref={main} tabindex="-1">
          <Show when={openID()} keyed fallback={<EmptyState sessions={all().length} loading={sessions.loading} />}>
            {(id) => (
              <SessionView
                sessionID={id}
                messageID={openMessage()}
                summary={summary()}
                exportLabel={exportLabel(commands())}
                changed={changed()}
                live={live()}
                scroller={() => main}
                onRevoked={notify}
              />
            )}
          </Show>
        </main>
      </div>
      <Toast message={toast()} onDismiss={() => setToast(undefined)} />
    </div>
  )
}
