import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { defaultFileName } from "../export/naming.ts"
import { exportSettings, type ExportOptions } from "../export/choices.ts"
import { SessionExport } from "../export/service.ts"
import { databaseSource } from "../export/source-db.ts"
import { ExportWriter } from "../export/writer.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import { RUNTIME_PACKAGE } from "../version.ts"
import type { ExportedFile } from "./app.ts"
import { httpError } from "./http-error.ts"

/**
 * Exports for the HTTP route through the same service, defaults and writer as
 * `opencode export` (redacted, subagents included, SOURCE_DATE_EPOCH honoured),
 * so a download is byte-identical to the CLI's file. The file is written
 * atomically into a private folder, read, and removed.
 */
export const exportForHttp =
  (runtimeVersion: string, dataDir: string | undefined) =>
  async (sessionID: string, options: ExportOptions): Promise<ExportedFile> => {
    const layer = SessionExport.layer.pipe(
      Layer.provide(
        Layer.merge(
          databaseSource({ name: RUNTIME_PACKAGE, version: runtimeVersion }).pipe(Layer.provide(RuntimeDatabase.layer(dataDir))),
          ExportWriter.layer,
        ),
      ),
    )
    const dir = mkdtempSync(join(tmpdir(), "overlay-export-"))
    try {
      const result = await Effect.runPromise(
        Effect.gen(function* () {
          const service = yield* SessionExport
          return yield* service.export(
            sessionID,
            exportSettings({ ...options, redact: true, children: true }),
            { kind: "file", path: (session) => join(dir, defaultFileName(session, options.format)), force: false },
          )
        }).pipe(Effect.provide(layer), Effect.mapError(httpError)),
      )
      const path = result.path!
      return {
        fileName: path.slice(dir.length + 1),
        contentType: options.format === "json" ? "application/json; charset=utf-8" : "text/markdown; charset=utf-8",
        body: readFileSync(path),
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
