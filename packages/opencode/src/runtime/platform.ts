/**
 * Which of the runtime's platform packages can run here, best first.
 * `opencode-ai` ships one binary per platform as optional dependencies named
 * `opencode-<os>-<arch>[-baseline][-musl]`; "baseline" builds avoid AVX2.
 */
export type Host = {
  readonly platform: string
  readonly arch: string
  readonly musl: boolean
  readonly avx2: boolean
}

const OS: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows" }

export function platformPackages(host: Host): ReadonlyArray<string> {
  const os = OS[host.platform] ?? host.platform
  const base = `opencode-${os}-${host.arch}`
  const libc = host.musl ? ["-musl", ""] : ["", "-musl"]
  // Only x64 has baseline builds; prefer them when the CPU lacks AVX2.
  const cpu = host.arch === "x64" ? (host.avx2 ? ["", "-baseline"] : ["-baseline", ""]) : [""]
  const names: string[] = []
  for (const l of os === "linux" ? libc : [""]) for (const c of cpu) names.push(`${base}${c}${l}`)
  return names
}
