import { createContext, createEffect, createMemo, For, Match, on, Show, Switch, useContext, type JSX } from "solid-js"
import { createStore, reconcile } from "solid-js/store"
import { Dynamic } from "solid-js/web"
import { renderMarkdown } from "../lib/markdown.ts"
import type {
  Block,
  ChangesView,
  DiffItem,
  Inline,
  Item,
  MessageView,
  NoteItem,
  Shown,
  SubagentView,
  ToolItem,
  TranscriptView,
} from "../lib/transcript.ts"

/** What was opened or closed, by key, so a block made afresh opens as the reader left it. */
type Openings = {
  readonly initially: (key: string, tool: boolean) => boolean
  readonly toggled: (key: string, open: boolean) => void
}

const OpeningsContext = createContext<Openings>({ initially: () => false, toggled: () => {} })

/**
 * The conversation, rendered from the session's JSON export (see
 * `lib/transcript.ts` for the view model). Session content reaches the page
 * only as text nodes, or, for message text and reasoning, through
 * `renderMarkdown` (escaped, then sanitized).
 *
 * A refresh merges the new view into the one shown, by the export's ids:
 * what did not change stays on the page as it is (open blocks stay open, a
 * selection stays), and a reader at the bottom follows new messages.
 */
export function Transcript(props: {
  view: TranscriptView
  expandTools: boolean
  scroller: () => HTMLElement | undefined
  /** After each render: how many tool calls can be opened. */
  onRendered?: (collapsibleTools: number) => void
}) {
  let container!: HTMLDivElement
  const [state, setState] = createStore<{ view?: TranscriptView }>({})
  const opened = new Map<string, boolean>()
  const openings: Openings = {
    initially: (key, tool) => opened.get(key) ?? (tool && props.expandTools),
    toggled: (key, open) => void opened.set(key, open),
  }

  createEffect(
    on(
      () => props.view,
      (view) => {
        const scroller = props.scroller()
        const following = !!scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48 && scroller.scrollTop > 0
        setState("view", reconcile(view, { key: "key", merge: false }))
        // The page is updated once this update settles.
        queueMicrotask(() => {
          if (following && scroller) scroller.scrollTop = scroller.scrollHeight
          props.onRendered?.(view.tools)
        })
      },
    ),
  )

  createEffect(
    on(
      () => props.expandTools,
      (expand) => {
        for (const details of Array.from(container.querySelectorAll<HTMLDetailsElement>("details.tool"))) details.open = expand
      },
      { defer: true },
    ),
  )

  return (
    <OpeningsContext.Provider value={openings}>
      <div ref={container} class="transcript">
        <Show when={state.view}>
          {(view) => (
            <>
              <Collapsible key="facts" class="facts-box" summary={<FactsSummary chips={view().chips} />}>
                <dl class="facts" aria-label="About this session">
                  <For each={view().facts}>
                    {(fact) => (
                      <div class="fact">
                        <dt>{fact.name}</dt>
                        <dd>
                          <Inlines parts={fact.value} />
                        </dd>
                      </div>
                    )}
                  </For>
                </dl>
              </Collapsible>
              <Show when={view().todos.length > 0}>
                <p>Todos:</p>
                <ul class="todos">
                  <For each={view().todos}>
                    {(todo) => (
                      <li>
                        <Show when={todo.done} fallback={<span class="task" role="img" aria-label="to do">○</span>}>
                          <span class="task task--done" role="img" aria-label="done">
                            ✓
                          </span>
                        </Show>{" "}
                        {todo.content}
                        {todo.note ? ` ${todo.note}` : ""}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Blocks blocks={view().blocks} />
            </>
          )}
        </Show>
      </div>
    </OpeningsContext.Provider>
  )
}

function FactsSummary(props: { chips: ReadonlyArray<string> }) {
  return (
    <>
      <span class="facts-label">Session details</span>
      <For each={props.chips}>{(chip) => <span class="facts-chip">{chip}</span>}</For>
    </>
  )
}

/** A `<details>` that opens as the reader left it (tool calls: as the toggle says, until opened or closed by hand). */
function Collapsible(props: { key: string; class: string; tool?: boolean; summary: JSX.Element; children: JSX.Element }) {
  const openings = useContext(OpeningsContext)
  return (
    <details
      class={props.class}
      ref={(details) => (details.open = openings.initially(props.key, !!props.tool))}
      onToggle={(event) => openings.toggled(props.key, event.currentTarget.open)}
    >
      <summary>{props.summary}</summary>
      {props.children}
    </details>
  )
}

function Blocks(props: { blocks: ReadonlyArray<Block> }) {
  return (
    <For each={props.blocks}>
      {(block) => (
        <Switch>
          <Match when={block.kind === "message" && block}>{(message) => <Message message={message()} />}</Match>
          <Match when={block.kind === "subagent" && block}>{(subagent) => <Subagent subagent={subagent()} />}</Match>
          <Match when={block.kind === "changes" && block}>{(changes) => <Changes changes={changes()} />}</Match>
          <Match when={block.kind === "warning" && block}>
            {(warning) => (
              <blockquote class="transcript-warning">
                <p>
                  <Inlines parts={warning().text} />
                </p>
              </blockquote>
            )}
          </Match>
        </Switch>
      )}
    </For>
  )
}

function Message(props: { message: MessageView }) {
  return (
    <article class={`message message--${props.message.role}`} data-message-id={props.message.key}>
      <Dynamic component={`h${props.message.level}`}>
        <span class="message-role">{props.message.role === "user" ? "User" : "Assistant"}</span>
        <span class="message-meta">{props.message.meta}</span>
      </Dynamic>
      <Items items={props.message.items} level={props.message.level} />
    </article>
  )
}

function Items(props: { items: ReadonlyArray<Item>; level: number }) {
  return (
    <For each={props.items}>
      {(item) => (
        <Switch>
          <Match when={item.kind === "text" && item}>{(text) => <Markdown class="message-text" markdown={text().markdown} headingShift={props.level} />}</Match>
          <Match when={item.kind === "reasoning" && item}>
            {(reasoning) => (
              <Collapsible key={reasoning().key} class="thinking" summary="Thinking">
                <Markdown class="thinking-body" markdown={reasoning().markdown} headingShift={props.level} />
              </Collapsible>
            )}
          </Match>
          <Match when={item.kind === "tool" && item}>{(tool) => <Tool tool={tool()} />}</Match>
          <Match when={item.kind === "runtime-text" && item}>
            {(added) => (
              <>
                <p>
                  <em>Added by the runtime:</em>
                </p>
                <Pre shown={added().text} />
              </>
            )}
          </Match>
          <Match when={item.kind === "file" && item}>
            {(file) => (
              <p class="file">
                <strong>File</strong> <code>{file().name}</code> · {file().mime}
                <Show when={file().size}>{(size) => ` · ${size()}`}</Show>
                <Show when={file().sha256}>
                  {(sha) => (
                    <>
                      {" · sha256 "}
                      <code>{sha()}</code>
                    </>
                  )}
                </Show>
                <Show when={file().url}>
                  {(url) => (
                    <>
                      {" · at "}
                      <code>{url()}</code>
                    </>
                  )}
                </Show>
              </p>
            )}
          </Match>
          <Match when={item.kind === "note" && item}>{(note) => <Note note={note()} />}</Match>
          <Match when={item.kind === "diff" && item}>{(diff) => <Diff diff={diff()} />}</Match>
          <Match when={item.kind === "error" && item}>
            {(error) => (
              <div class="message-error">
                <p>
                  <strong>Error</strong> (<code>{error().name}</code>):
                </p>
                <Pre text={error().text} />
              </div>
            )}
          </Match>
          <Match when={item.kind === "unsupported" && item}>
            {(part) => (
              <p class="unsupported">
                <strong>Unsupported part</strong> <code>{part().type}</code> (<code>{part().id}</code>): not shown here; the JSON export keeps it.
              </p>
            )}
          </Match>
          <Match when={item.kind === "subagent" && item}>{(subagent) => <Subagent subagent={subagent()} />}</Match>
        </Switch>
      )}
    </For>
  )
}

/** A tool call: one line, its error, input, output and diff when opened. */
function Tool(props: { tool: ToolItem }) {
  const t = () => props.tool
  const status = () => (t().status === "error" ? undefined : t().status)
  return (
    <Collapsible
      key={t().key}
      class={t().failed ? "tool tool--failed" : "tool"}
      tool
      summary={
        <>
          <span class="tool-badge">Tool</span>
          <span class="tool-line">
            <code>{t().tool}</code>
            {t().title ? ` · ${t().title}` : ""}
            {" · "}
            <Show when={status()} fallback={<strong>failed</strong>}>
              {(s) => s()}
            </Show>
            {t().duration ? ` · ${t().duration}` : ""}
          </span>
        </>
      }
    >
      <div class="tool-body">
        <Show when={t().error !== undefined}>
          <p>
            <strong>Error:</strong>
          </p>
          <Pre text={t().error ?? ""} />
        </Show>
        <p>
          <em>Input:</em>
        </p>
        <Pre text={t().input} language="json" />
        <Show when={t().output}>
          {(output) => (
            <>
              <p>
                <em>Output:</em>
              </p>
              <Pre shown={output()} />
            </>
          )}
        </Show>
        <Show when={t().diff}>
          {(diff) => (
            <>
              <p>
                <em>Diff:</em>
              </p>
              <Pre text={diff()} language="diff" />
            </>
          )}
        </Show>
      </div>
    </Collapsible>
  )
}

function Note(props: { note: NoteItem }) {
  return (
    <>
      <p class="note">
        <strong>{props.note.label}</strong> <Inlines parts={props.note.text} />
      </p>
      <Show when={props.note.block}>{(block) => <Pre text={block()} />}</Show>
    </>
  )
}

function Diff(props: { diff: DiffItem }) {
  return (
    <>
      <p class="diff">
        <strong>Changed</strong> <code>{props.diff.file}</code> · +{props.diff.additions.toLocaleString()} −{props.diff.deletions.toLocaleString()}
        {props.diff.status ? ` · ${props.diff.status}` : ""}
      </p>
      <Show when={props.diff.patch}>{(patch) => <Pre text={patch()} language="diff" />}</Show>
    </>
  )
}

function Changes(props: { changes: ChangesView }) {
  return (
    <article class="message message--changes">
      <Dynamic component={`h${props.changes.level}`}>Changes</Dynamic>
      <For each={props.changes.diffs}>{(diff) => <Diff diff={diff} />}</For>
    </article>
  )
}

function Subagent(props: { subagent: SubagentView }) {
  const s = () => props.subagent
  return (
    <section class="subagent" aria-label={s().heading}>
      <Dynamic component={`h${s().level}`}>{s().heading}</Dynamic>
      <p>
        <Inlines parts={s().intro} />
      </p>
      <Blocks blocks={s().blocks} />
      <p class="subagent-end">
        <em>
          <Inlines parts={s().end} />
        </em>
      </p>
    </section>
  )
}

/** A block of text shown exactly (as text), and a note of what was cut. */
function Pre(props: { text?: string; shown?: Shown; language?: string }) {
  const text = () => props.shown?.text ?? props.text ?? ""
  return (
    <>
      <pre>
        <code class={props.language ? `language-${props.language}` : undefined}>{text()}</code>
      </pre>
      <Show when={props.shown?.cut}>
        {(cut) => (
          <p>
            <em>
              … {plural(cut().chars, "more character")} ({plural(cut().lines, "more line")}) cut here; the JSON export has all of it.
            </em>
          </p>
        )}
      </Show>
    </>
  )
}

const plural = (n: number, one: string) => `${n.toLocaleString()} ${n === 1 ? one : `${one}s`}`

function Inlines(props: { parts: ReadonlyArray<Inline> }) {
  return (
    <For each={props.parts}>
      {(part) => (typeof part === "string" ? part : "code" in part ? <code>{part.code}</code> : <strong>{part.strong}</strong>)}
    </For>
  )
}

/** Markdown from the session, escaped and sanitized by `renderMarkdown`; re-rendered only when the text changes. */
function Markdown(props: { markdown: string; headingShift: number; class: string }) {
  const nodes = createMemo(() => Array.from(renderMarkdown(props.markdown, props.headingShift).childNodes))
  return <div class={props.class}>{nodes()}</div>
}
