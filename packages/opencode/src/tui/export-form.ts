/**
 * The TUI's export dialog as data (pure): the options a user sets before
 * writing a session log, what each row of the dialog says, and the request
 * they make. The file name defaults to the one `opencode export` gives, in
 * the project's folder.
 */
import { homedir } from "node:os"
import { isAbsolute, join, relative, resolve, sep } from "node:path"
import type { ExportInput } from "../session-command/export.ts"
import { EXPORT_DEFAULTS, EXPORT_FORMATS, FORMAT_NAMES, type ExportFormat } from "../export/document/choices.ts"

/** The format after `format` in the dialog's cycle (Markdown, JSON, HTML). */
const nextFormat = (format: ExportFormat): ExportFormat => EXPORT_FORMATS[(EXPORT_FORMATS.indexOf(format) + 1) % EXPORT_FORMATS.length]!
import { defaultFileName, EXTENSION } from "../export/write/naming.ts"

export type ExportSession = {
  readonly id: string
  readonly slug: string
  readonly title: string
  readonly time: { readonly created: number }
}

export type ExportForm = {
  readonly session: ExportSession
  /** The project folder: where the file goes by default, and where the CLI runs. */
  readonly directory: string
  readonly format: ExportFormat
  readonly thinking: boolean
  readonly toolDetails: boolean
  readonly diffs: boolean
  /** Absolute path of the file to write. */
  readonly output: string
  /** The user typed a file name (it is no longer derived from the format). */
  readonly named: boolean
}

export type Toggle = "format" | "thinking" | "toolDetails" | "diffs"

export type Row = { readonly value: "export" | Toggle | "file"; readonly title: string; readonly description: string }

export function initialForm(session: ExportSession, directory: string): ExportForm {
  return {
    session,
    directory,
    ...EXPORT_DEFAULTS,
    output: join(directory, defaultFileName(session, EXPORT_DEFAULTS.format)),
    named: false,
  }
}

export function toggle(form: ExportForm, key: Toggle): ExportForm {
  if (key !== "format") return { ...form, [key]: !form[key] }
  const format: ExportFormat = nextFormat(form.format)
  const from = EXTENSION[form.format]
  const output = !form.named
    ? join(form.directory, defaultFileName(form.session, format))
    : form.output.endsWith(from)
      ? `${form.output.slice(0, -from.length)}${EXTENSION[format]}`
      : form.output
  return { ...form, format, output }
}

/** The file the user typed: relative to the project folder, `~/` for the home folder; empty keeps the current one. */
export function setFile(form: ExportForm, input: string, home: string = homedir()): ExportForm {
  const text = input.trim()
  if (text === "") return form
  const expanded = text === "~" ? home : text.startsWith("~/") ? join(home, text.slice(2)) : text
  const output = isAbsolute(expanded) ? resolve(expanded) : resolve(form.directory, expanded)
  return { ...form, output, named: true }
}

/** The file as shown: relative inside the project folder, absolute elsewhere. */
export function displayFile(form: ExportForm): string {
  const rel = relative(form.directory, form.output)
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel) ? rel : form.output
}

const box = (on: boolean) => (on ? "[x]" : "[ ]")

/** Titles are padded to one width so that the descriptions line up in a column. */
const TITLE_WIDTH = 18

/** The dialog's rows, in order; "Export" first so that Enter right away writes the defaults. */
export function rows(form: ExportForm): ReadonlyArray<Row> {
  const other = FORMAT_NAMES[nextFormat(form.format)]
  const list: ReadonlyArray<Row> = [
    { value: "export", title: "Export", description: "Enter: write the file" },
    { value: "format", title: `Format: ${FORMAT_NAMES[form.format]}`, description: `Enter: switch to ${other}` },
    { value: "thinking", title: `${box(form.thinking)} Reasoning`, description: "the model's thinking" },
    { value: "toolDetails", title: `${box(form.toolDetails)} Tool details`, description: "tool input and output" },
    { value: "diffs", title: `${box(form.diffs)} Diffs`, description: "edits and file changes" },
    { value: "file", title: "File", description: `${displayFile(form)}  (Enter: change)` },
  ]
  return list.map((row) => ({ ...row, title: row.title.padEnd(TITLE_WIDTH) }))
}

export function exportInput(form: ExportForm, force: boolean): ExportInput {
  return {
    sessionID: form.session.id,
    format: form.format,
    thinking: form.thinking,
    toolDetails: form.toolDetails,
    diffs: form.diffs,
    output: form.output,
    force,
    directory: form.directory,
  }
}
