/**
 * What a user chooses about an export, the same words on every surface (CLI,
 * TUI dialog, web app, HTTP route), and the one way those choices become the
 * export service's settings.
 */
import { homedir } from "node:os"
import type { Env } from "../../config/env.ts"
import { isoLocal } from "./format.ts"

/** What the readable formats (Markdown and HTML) show beyond the conversation. */
export type ReadableOptions = {
  /** Show reasoning. */
  readonly thinking: boolean
  /** Show tool input and output, and text the runtime added (file contents it read for an attachment). */
  readonly toolDetails: boolean
  /** Show diffs: of edits, of the session's changes. */
  readonly diffs: boolean
}

export type ExportFormat = "markdown" | "json" | "html"

export const EXPORT_FORMATS: ReadonlyArray<ExportFormat> = ["markdown", "json", "html"]

/** How each format is named to people, and the media type of its file. */
export const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = { markdown: "Markdown", json: "JSON", html: "HTML" }
export const FORMAT_TYPES: Readonly<Record<ExportFormat, string>> = {
  markdown: "text/markdown; charset=utf-8",
  json: "application/json; charset=utf-8",
  html: "text/html; charset=utf-8",
}

/** The options every surface offers. */
export type ExportOptions = {
  readonly format: ExportFormat
  /** Include reasoning (`--thinking`). */
  readonly thinking: boolean
  /** Include tool input and output (`--tool-details`). */
  readonly toolDetails: boolean
  /** Include file diffs (`--diffs`). */
  readonly diffs: boolean
}

/** The same as `opencode export <id>` with no flags. */
export const EXPORT_DEFAULTS: ExportOptions = { format: "markdown", thinking: false, toolDetails: false, diffs: false }

/** Every choice, the CLI's two extra switches included (the other surfaces always redact and include subagents). */
export type ExportChoices = ExportOptions & {
  readonly redact: boolean
  readonly children: boolean
}

/** What the service is asked to render: built from a surface's choices by `exportSettings`. */
export type ExportSettings = {
  readonly format: ExportFormat
  readonly markdown: ReadableOptions
  /** Redact secrets and the home directory (binary payloads are always left out). */
  readonly redact: boolean
  /** Include subagent sessions. */
  readonly children: boolean
  /** The home directory to show as `~`. */
  readonly home?: string
  /** ISO 8601; the JSON format records it. */
  readonly exportedAt: string
}

/** When the export was made: SOURCE_DATE_EPOCH (seconds) if set, for reproducible files; now otherwise. */
export function exportedAt(env: Env): string {
  const epoch = Number(env.SOURCE_DATE_EPOCH)
  return isoLocal(env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? epoch * 1000 : Date.now())
}

/** The one way every surface turns choices into the export service's settings. */
export function exportSettings(choices: ExportChoices, env: Env = process.env): ExportSettings {
  return {
    format: choices.format,
    markdown: { thinking: choices.thinking, toolDetails: choices.toolDetails, diffs: choices.diffs },
    redact: choices.redact,
    children: choices.children,
    home: env.HOME || homedir(),
    exportedAt: exportedAt(env),
  }
}
