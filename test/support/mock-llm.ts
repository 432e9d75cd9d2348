/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1.
 *
 * The runtime talks to it through `@ai-sdk/openai-compatible`, exactly as it
 * would to a real provider, so sessions made against it are real sessions:
 * real tool runs, real rows in the runtime's database.
 *
 * Each request that carries tools (an agent turn) takes the next scripted turn.
 * A request without tools is the runtime asking for a title (it gets `title`)
 * or for a compaction's summary (it gets `SUMMARY`); neither consumes the script.
 */

export type ToolCall = { readonly name: string; readonly arguments: Record<string, unknown> }

/** Token usage a turn reports (default: 120 prompt, 30 completion tokens). */
export type Usage = { readonly prompt: number; readonly completion: number }

export type Turn =
  | { readonly kind: "text"; readonly text: string; readonly reasoning?: string; readonly usage?: Usage }
  | { readonly kind: "tools"; readonly calls: ReadonlyArray<ToolCall>; readonly text?: string }
  | { readonly kind: "http-error"; readonly status: number; readonly message: string; readonly times?: number }
  | { readonly kind: "stream-error"; readonly message: string; readonly partialText?: string; readonly times?: number }
  /** Answers `text` only after `ms`: a provider that keeps the runtime waiting. */
  | { readonly kind: "stall"; readonly ms: number; readonly text: string }

export const turn = {
  text: (text: string, reasoning?: string): Turn => ({ kind: "text", text, reasoning }),
  /** An answer that reports `usage`: above the model's configured context limit, the runtime compacts the session. */
  large: (text: string, usage: Usage): Turn => ({ kind: "text", text, usage }),
  tool: (name: string, args: Record<string, unknown>, text?: string): Turn => ({
    kind: "tools",
    calls: [{ name, arguments: args }],
    text,
  }),
  bash: (command: string, description = "Run a command"): Turn => ({
    kind: "tools",
    calls: [{ name: "bash", arguments: { command, description } }],
  }),
  /** Fails the next `times` agent requests (the runtime retries provider errors). */
  stall: (ms: number, text = "Late answer."): Turn => ({ kind: "stall", ms, text }),
  httpError: (status: number, message: string, times = 1): Turn => ({ kind: "http-error", status, message, times }),
  streamError: (message: string, partialText?: string, times = 1): Turn => ({
    kind: "stream-error",
    message,
    partialText,
    times,
  }),
}

export type RecordedRequest = {
  readonly model: string
  readonly stream: boolean
  readonly hasTools: boolean
  readonly toolNames: ReadonlyArray<string>
  readonly messages: ReadonlyArray<unknown>
}

export type MockLLM = {
  readonly url: string
  readonly baseURL: string
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Agent turns still waiting to be served. */
  readonly remaining: () => number
  /** Replace the script (turns are served in order). */
  readonly script: (...turns: ReadonlyArray<Turn>) => void
  readonly stop: () => Promise<void>
}

type ChatRequest = {
  model?: string
  stream?: boolean
  tools?: ReadonlyArray<{ function?: { name?: string } }>
  messages?: ReadonlyArray<unknown>
}

/**
 * The runtime retries failed provider calls with a backoff of 2 s, 4 s, 8 s…
 * unless the provider names a wait; naming a short one keeps error tests fast.
 */
const NO_RETRY_WAIT = { "retry-after-ms": "20" }

const FALLBACK: Turn = { kind: "text", text: "mock: no scripted turn left" }

/** What the mock answers when the runtime asks for a compaction's summary. */
export const SUMMARY = "Mock summary: the user asked questions and got answers."

/** The runtime's summarization request (compaction) opens with this system prompt. */
const isSummaryRequest = (messages: ReadonlyArray<unknown>) => {
  const first = messages[0] as { role?: unknown; content?: unknown } | undefined
  return first?.role === "system" && typeof first.content === "string" && first.content.startsWith("You are a context summarization agent")
}

export async function startMockLLM(options: { title?: string; turns?: ReadonlyArray<Turn> } = {}): Promise<MockLLM> {
  const title = options.title ?? "Mock session"
  let queue: Turn[] = [...(options.turns ?? [])]
  const requests: RecordedRequest[] = []
  let counter = 0

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url)
      if (req.method === "GET" && url.pathname.endsWith("/models")) {
        return Response.json({ object: "list", data: [{ id: "mock-model", object: "model", owned_by: "mock" }] })
      }
      if (req.method !== "POST" || !url.pathname.endsWith("/chat/completions")) {
        return new Response("not found", { status: 404 })
      }
      const body = (await req.json()) as ChatRequest
      const toolNames = (body.tools ?? []).map((t) => t.function?.name ?? "")
      const hasTools = toolNames.length > 0
      requests.push({
        model: body.model ?? "",
        stream: body.stream === true,
        hasTools,
        toolNames,
        messages: body.messages ?? [],
      })
      const id = `chatcmpl-mock-${++counter}`
      const model = body.model ?? "mock-model"
      const next: Turn = hasTools ? take() : { kind: "text", text: isSummaryRequest(body.messages ?? []) ? SUMMARY : title }
      if (next.kind === "stall") {
        await Bun.sleep(next.ms)
        const late: Turn = { kind: "text", text: next.text }
        if (body.stream !== true) return Response.json(completion(id, model, late))
        return new Response(sse(chunks(id, model, late as Exclude<Turn, { kind: "http-error" | "stall" }>)), {
          headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
        })
      }
      if (next.kind === "http-error") {
        return Response.json(
          { error: { message: next.message, type: "server_error", code: "mock_error" } },
          { status: next.status, headers: NO_RETRY_WAIT },
        )
      }
      if (body.stream !== true) return Response.json(completion(id, model, next))
      return new Response(sse(chunks(id, model, next)), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...NO_RETRY_WAIT },
      })
    },
  })

  /** The next agent turn; an error turn with `times` > 1 stays at the head until used up. */
  function take(): Turn {
    const head = queue[0]
    if (!head) return FALLBACK
    if ((head.kind === "http-error" || head.kind === "stream-error") && (head.times ?? 1) > 1) {
      queue[0] = { ...head, times: (head.times ?? 1) - 1 }
      return head
    }
    return queue.shift() ?? FALLBACK
  }

  const url = `http://127.0.0.1:${server.port}`
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    remaining: () => queue.length,
    script: (...turns) => {
      queue = [...turns]
    },
    stop: async () => {
      await server.stop(true)
    },
  }
}

const usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 }

const usageOf = (turn: Turn) =>
  turn.kind === "text" && turn.usage
    ? { prompt_tokens: turn.usage.prompt, completion_tokens: turn.usage.completion, total_tokens: turn.usage.prompt + turn.usage.completion }
    : usage

function completion(id: string, model: string, turn: Turn) {
  const text = turn.kind === "text" ? turn.text : turn.kind === "tools" ? (turn.text ?? "") : ""
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: usageOf(turn),
  }
}

type Chunk = Record<string, unknown> | { readonly raw: string }

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null = null): Chunk {
  return {
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  }
}

/** Split text in a few pieces so the runtime sees real deltas. */
function pieces(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 3))
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

function chunks(id: string, model: string, turn: Exclude<Turn, { kind: "http-error" | "stall" }>): Chunk[] {
  const out: Chunk[] = [chunk(id, model, { role: "assistant", content: "" })]
  switch (turn.kind) {
    case "text": {
      if (turn.reasoning) for (const p of pieces(turn.reasoning)) out.push(chunk(id, model, { reasoning_content: p }))
      for (const p of pieces(turn.text)) out.push(chunk(id, model, { content: p }))
      out.push(chunk(id, model, {}, "stop"))
      break
    }
    case "tools": {
      if (turn.text) out.push(chunk(id, model, { content: turn.text }))
      turn.calls.forEach((call, index) => {
        const callID = `call_${id.slice(-6)}_${index}`
        const args = JSON.stringify(call.arguments)
        out.push(
          chunk(id, model, {
            tool_calls: [{ index, id: callID, type: "function", function: { name: call.name, arguments: "" } }],
          }),
        )
        for (const p of pieces(args)) out.push(chunk(id, model, { tool_calls: [{ index, function: { arguments: p } }] }))
      })
      out.push(chunk(id, model, {}, "tool_calls"))
      break
    }
    case "stream-error": {
      if (turn.partialText) out.push(chunk(id, model, { content: turn.partialText }))
      out.push({ error: { message: turn.message, type: "server_error", code: "mock_stream_error" } })
      return out
    }
  }
  out.push({ ...chunk(id, model, {}), choices: [], usage: usageOf(turn) })
  out.push({ raw: "[DONE]" })
  return out
}

function sse(items: Chunk[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const item of items) {
        const data = "raw" in item && typeof item.raw === "string" ? item.raw : JSON.stringify(item)
        controller.enqueue(encoder.encode(`data: ${data}\n\n`))
      }
      controller.close()
    },
  })
}
