/**
 * The session log over the runtime's database: what `opencode session-log`
 * runs, and what the launcher runs when a runtime it started ends.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SourceUnavailable } from "../export/document/errors.ts"
import { databaseExport } from "../export/service.ts"
import { ExportWriter } from "../export/write/writer.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import type { DatabaseMissing, DatabaseUnreadable } from "../storage/errors.ts"
import { RUNTIME_PACKAGE } from "../version.ts"
import type { LogFolderUnwritable } from "./errors.ts"
import type { SessionLogSettings } from "./settings.ts"
import { writeSessionLogs, type LogOptions, type LogReport } from "./write.ts"

export type LogFailure = LogFolderUnwritable | SourceUnavailable | DatabaseMissing | DatabaseUnreadable

export const logFromDatabase = (
  settings: SessionLogSettings,
  runtimeVersion: string,
  options: LogOptions & { readonly dataDir?: string } = {},
): Effect.Effect<LogReport, LogFailure> =>
  writeSessionLogs(settings, options).pipe(
    Effect.provide(
      Layer.merge(databaseExport({ name: RUNTIME_PACKAGE, version: runtimeVersion }, RuntimeDatabase.layer(options.dataDir)), ExportWriter.layer),
    ),
  )
