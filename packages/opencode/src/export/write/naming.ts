/**
 * Export file names (pure): `<slug>-<YYYYMMDD-HHmm>.md|.json`, the session's
 * slug and the local time it was created. The same session always gets the
 * same name, so exporting it twice into one folder is refused instead of
 * silently making a second copy (`--force` replaces it).
 */
import { join, resolve } from "node:path"
import type { ExportFormat } from "../document/choices.ts"
import { fileStamp } from "../document/format.ts"

export const EXTENSION: Record<ExportFormat, string> = { markdown: ".md", json: ".json", html: ".html" }

/** A slug safe in any file system: lowercase ASCII letters, digits and dashes. */
export function safeSlug(slug: string): string {
  const clean = slug
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "")
  return clean === "" ? "session" : clean
}

export function defaultFileName(session: { readonly slug: string; readonly time: { readonly created: number } }, format: ExportFormat): string {
  return `${safeSlug(session.slug)}-${fileStamp(session.time.created)}${EXTENSION[format]}`
}

/**
 * Names for a batch (`--all`): the default name, with the end of the session
 * id added where two sessions would otherwise share one.
 */
export function batchFileNames(
  sessions: ReadonlyArray<{ readonly id: string; readonly slug: string; readonly time: { readonly created: number } }>,
  format: ExportFormat,
): ReadonlyArray<string> {
  const names = sessions.map((s) => defaultFileName(s, format))
  const seen = new Map<string, number>()
  for (const name of names) seen.set(name, (seen.get(name) ?? 0) + 1)
  return names.map((name, i) => {
    if ((seen.get(name) ?? 0) < 2) return name
    const ext = EXTENSION[format]
    const id = sessions[i]!.id.replace(/[^A-Za-z0-9]/g, "").slice(-8)
    return `${name.slice(0, -ext.length)}-${id}${ext}`
  })
}

/** Where one export goes: `-o` as a file, `-o` as a folder, or the default name in `cwd`. */
export function outputPath(options: {
  readonly output?: string
  /** `output` names an existing folder (or ends with a slash). */
  readonly outputIsDir: boolean
  readonly cwd: string
  readonly defaultName: string
}): string {
  if (options.output === undefined) return join(options.cwd, options.defaultName)
  const base = resolve(options.cwd, options.output)
  return options.outputIsDir ? join(base, options.defaultName) : base
}
