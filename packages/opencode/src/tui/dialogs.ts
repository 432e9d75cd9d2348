/**
 * The TUI's side of the session commands: dialogs, toasts and alerts around
 * the registry's Effect handlers. Everything here goes through
 * `api.ui` (the runtime's own dialog components), so the plugin needs no JSX.
 */
import { existsSync, statSync } from "node:fs"
import { join } from "node:path"
import type { TuiPluginApi } from "@opencode-ai/plugin/tui"
import * as Effect from "effect/Effect"
import type { CommandError } from "../session-command/errors.ts"
import { OVERLAY_BIN, OverlayCli } from "../session-command/overlay-cli.ts"
import { exportCommand, shareCommand, unshareCommand, type CommandContext } from "../session-command/registry.ts"
import type { Refusal } from "../share/refusal.ts"
import { shortLocal } from "../export/document/format.ts"
import { defaultFileName } from "../export/write/naming.ts"
import { userEnvironment } from "../launch/launch-info.ts"
import { displayFile, exportInput, initialForm, rows, setFile, toggle, type ExportForm, type ExportSession, type Row } from "./export-form.ts"

/** How long a result stays on screen: long enough to read a full path. */
const RESULT_MS = 10_000

type Outcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: CommandError | Error }

/**
 * Runs a registry handler with the overlay CLI, in the environment the user
 * launched with (not the runtime's); stops it if the TUI closes meanwhile.
 */
async function perform<A>(api: TuiPluginApi, effect: Effect.Effect<A, CommandError, OverlayCli>): Promise<Outcome<A>> {
  try {
    const cli = OverlayCli.layer(OVERLAY_BIN, userEnvironment(process.env))
    const result = await Effect.runPromise(Effect.result(Effect.provide(effect, cli)), {
      signal: api.lifecycle.signal,
    })
    return result._tag === "Success" ? { ok: true, value: result.success } : { ok: false, error: result.failure }
  } catch (cause) {
    return { ok: false, error: cause instanceof Error ? cause : new Error(String(cause)) }
  }
}

export function showRefusal(api: TuiPluginApi, title: string, refusal: Refusal): void {
  api.ui.dialog.replace(() =>
    api.ui.DialogAlert({ title, message: refusal.lines.join("\n"), onConfirm: () => api.ui.dialog.clear() }),
  )
}

function showError(api: TuiPluginApi, title: string, error: CommandError | Error): void {
  if ("_tag" in error && error._tag === "CommandRefused") return showRefusal(api, "Sharing is disabled", error.refusal)
  api.ui.toast({ variant: "error", title, message: error.message, duration: RESULT_MS })
}

// ---------------------------------------------------------------- export

/** `/export`: the dialog for the open session, or on the home screen a session picker first. */
export async function startExport(api: TuiPluginApi, context: () => CommandContext, directory: string): Promise<void> {
  const current = context().session
  if (current) {
    const session = await sessionInfo(api, current.id)
    if (session) return showExportForm(api, context, initialForm(session, directory))
    return api.ui.toast({ variant: "error", title: "Export failed", message: `Session ${current.id} was not found.`, duration: RESULT_MS })
  }
  await pickSession(api, context, directory)
}

async function sessionInfo(api: TuiPluginApi, sessionID: string): Promise<ExportSession | undefined> {
  const known = api.state.session.get(sessionID)
  if (known) return known
  const answer = await api.client.session.get({ sessionID }).catch(() => undefined)
  return answer?.data ?? undefined
}

type Listed = ExportSession & { readonly time: { readonly created: number; readonly updated: number; readonly archived?: number } }

/** Newest first (last updated, then created), archived ones left out. */
export function pickerOrder<S extends Listed>(sessions: ReadonlyArray<S>): S[] {
  return sessions
    .filter((s) => s.time.archived === undefined)
    .toSorted((a, b) => b.time.updated - a.time.updated || b.time.created - a.time.created || (a.id < b.id ? 1 : -1))
}

async function pickSession(api: TuiPluginApi, context: () => CommandContext, directory: string): Promise<void> {
  const answer = await api.client.session.list({ roots: true }).catch((cause: unknown) => ({ data: undefined, error: cause }))
  if (!answer.data) {
    return api.ui.toast({
      variant: "error",
      title: "Export failed",
      message: `The sessions could not be listed: ${JSON.stringify(answer.error ?? "no answer")}`,
      duration: RESULT_MS,
    })
  }
  const sessions = pickerOrder(answer.data)
  if (sessions.length === 0) return api.ui.toast({ variant: "info", message: "No session to export yet.", duration: RESULT_MS })
  api.ui.dialog.replace(() =>
    api.ui.DialogSelect<ExportSession>({
      title: "Export session log: choose a session",
      placeholder: "Search sessions",
      options: sessions.map((s) => ({ title: s.title, value: s, description: `${shortLocal(s.time.updated)}  ${s.id}` })),
      onSelect: (option) => showExportForm(api, context, initialForm(option.value, directory)),
    }),
  )
  api.ui.dialog.setSize("large")
}

export function showExportForm(api: TuiPluginApi, context: () => CommandContext, form: ExportForm, current?: Row["value"]): void {
  api.ui.dialog.replace(() =>
    api.ui.DialogSelect<Row["value"]>({
      title: `${exportCommand.title(context())}: ${form.session.title}`,
      placeholder: "Search options",
      options: rows(form).map((row) => ({ title: row.title, value: row.value, description: row.description })),
      ...(current ? { current } : {}),
      onSelect: (option) => {
        const value = option.value
        if (value === "export") return confirmAndExport(api, context, form)
        if (value === "file") return editFile(api, context, form)
        showExportForm(api, context, toggle(form, value), value)
      },
    }),
  )
  // Wide enough for a full file name.
  api.ui.dialog.setSize("large")
}

function editFile(api: TuiPluginApi, context: () => CommandContext, form: ExportForm): void {
  api.ui.dialog.replace(() =>
    api.ui.DialogPrompt({
      title: "Export to file",
      placeholder: "file name, relative to the project folder",
      value: displayFile(form),
      onConfirm: (value) => showExportForm(api, context, intoFolder(setFile(form, value)), "file"),
      onCancel: () => showExportForm(api, context, form, "file"),
    }),
  )
}

/** A folder typed as the file: the default name inside it, as `opencode export -o <folder>` does. */
function intoFolder(form: ExportForm): ExportForm {
  const isFolder = existsSync(form.output) && statSync(form.output).isDirectory()
  return isFolder ? { ...form, output: join(form.output, defaultFileName(form.session, form.format)) } : form
}

function confirmAndExport(api: TuiPluginApi, context: () => CommandContext, form: ExportForm): void {
  const exists = existsSync(form.output) && !statSync(form.output).isDirectory()
  if (!exists) return void writeExport(api, context, form, false)
  api.ui.dialog.replace(() =>
    api.ui.DialogConfirm({
      title: "Replace file?",
      message: `${form.output} exists. Replace it with this export?`,
      onConfirm: () => void writeExport(api, context, form, true),
      onCancel: () => showExportForm(api, context, form, "export"),
    }),
  )
}

async function writeExport(api: TuiPluginApi, context: () => CommandContext, form: ExportForm, force: boolean): Promise<void> {
  api.ui.dialog.clear()
  api.ui.toast({ variant: "info", message: "Exporting session log…", duration: RESULT_MS })
  const outcome = await perform(api, exportCommand.run(context(), exportInput(form, force)))
  if (outcome.ok) api.ui.toast({ variant: "success", title: "Session log exported", message: outcome.value.path, duration: RESULT_MS })
  else showError(api, "Export failed", outcome.error)
}

// ---------------------------------------------------------------- share, unshare

/** `/share` while sharing is disabled: the registry's handler refuses, with the policy's source. */
export async function runShare(api: TuiPluginApi, context: () => CommandContext, directory: string): Promise<void> {
  const ctx = context()
  const outcome = await perform(api, shareCommand.run(ctx, { sessionID: ctx.session?.id ?? "", directory }))
  if (outcome.ok) api.ui.toast({ variant: "success", title: "Session published", message: outcome.value.url, duration: RESULT_MS })
  else showError(api, "Share failed", outcome.error)
}

/** `/unshare`: refused for a session never published; "Revoke public link" for one published before. */
export async function runUnshare(api: TuiPluginApi, context: () => CommandContext, directory: string): Promise<void> {
  const ctx = context()
  const revoke = async () => {
    api.ui.dialog.clear()
    const outcome = await perform(api, unshareCommand.run(ctx, { sessionID: ctx.session?.id ?? "", directory }))
    if (outcome.ok) api.ui.toast({ variant: "success", title: "Share link revoked", message: outcome.value.url, duration: RESULT_MS })
    else showError(api, "Revoke failed", outcome.error)
  }
  const availability = unshareCommand.availability(ctx)
  if (!availability.offered || !ctx.session) return revoke() // the handler refuses, with the policy's words
  const url = api.state.session.get(ctx.session.id)?.share?.url
  api.ui.dialog.replace(() =>
    api.ui.DialogConfirm({
      title: unshareCommand.title(ctx),
      message: `Unpublish the public copy of this session${url ? ` at ${url}` : ""}?`,
      onConfirm: () => void revoke(),
      onCancel: () => api.ui.dialog.clear(),
    }),
  )
}
