import { homedir } from "node:os"
import { isoLocal } from "./format.ts"
import type { Format } from "./naming.ts"
import type { ExportRequest } from "./service.ts"

export type ExportChoices = {
  readonly format: Format
  readonly thinking: boolean
  readonly toolDetails: boolean
  readonly diffs: boolean
  readonly redact: boolean
  readonly children: boolean
}

/** When the export was made: SOURCE_DATE_EPOCH (seconds) if set, for reproducible files; now otherwise. */
export function exportedAt(env: Readonly<Record<string, string | undefined>>): string {
  const epoch = Number(env.SOURCE_DATE_EPOCH)
  return isoLocal(env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? epoch * 1000 : Date.now())
}

/** The one way every surface (CLI, server, TUI) turns choices into an export request. */
export function exportRequest(choices: ExportChoices, env: Readonly<Record<string, string | undefined>> = process.env): ExportRequest {
  return {
    format: choices.format,
    markdown: { thinking: choices.thinking, toolDetails: choices.toolDetails, diffs: choices.diffs },
    redact: choices.redact,
    children: choices.children,
    home: env.HOME || homedir(),
    exportedAt: exportedAt(env),
  }
}
