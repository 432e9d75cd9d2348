import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { defaultFileName } from "../export/write/naming.ts"
import { exportSettings, FORMAT_TYPES, type ExportOptions } from "../export/document/choices.ts"
import { databaseExport, SessionExport } from "../export/service.ts"
import { RuntimeDatabase } from "../storage/database.ts"
import { RUNTIME_PACKAGE } from "../version.ts"
import type { HTTPException } from "hono/http-exception"
import type { ExportedFile } from "./app.ts"
import { httpError } from "./http-error.ts"

/**
 * Exports for the HTTP route through the same service, defaults and writer as
 * `opencode export` (redacted, subagents included, SOURCE_DATE_EPOCH honoured),
 * so a download is byte-identical to the CLI's file. The file is written
 * atomically into a private folder, read, and the folder removed when the
 * export ends, fails or is interrupted (the server stopping).
 */
export const exportForHttp =
  (runtimeVersion: string, dataDir: string | undefined) =>
  (sessionID: string, options: ExportOptions): Effect.Effect<ExportedFile, HTTPException> => {
    const layer = databaseExport({ name: RUNTIME_PACKAGE, version: runtimeVersion }, RuntimeDatabase.layer(dataDir))
    return Effect.scoped(
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "overlay-export-"))),
          (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
        )
        const service = yield* SessionExport
        const result = yield* service.export(sessionID, exportSettings({ ...options, redact: true, children: true }), {
          kind: "file",
          path: (session) => join(dir, defaultFileName(session, options.format)),
          force: false,
        })
        const path = result.path!
        return {
          fileName: path.slice(dir.length + 1),
          contentType: FORMAT_TYPES[options.format],
          body: readFileSync(path),
        }
      }),
    ).pipe(Effect.provide(layer), Effect.mapError(httpError))
  }
