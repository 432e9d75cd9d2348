/**
 * The project folders a request to the runtime names (pure), as the runtime
 * reads them: `?directory=`, `?location[directory]=` (its `/api/` routes), and
 * the `x-opencode-directory` header, which its clients percent-encode. Every
 * one of them, in that order: a guard must judge each, since the runtime may
 * read another than the guard would.
 */
export function namedDirectories(url: string, header: string | undefined): string[] {
  const query = new URL(url).searchParams
  const named = [...query.getAll("directory"), ...query.getAll("location[directory]")]
  if (header !== undefined) {
    try {
      named.push(decodeURIComponent(header))
    } catch {
      named.push(header)
    }
  }
  return named
}
