import { existsSync, readdirSync, readFileSync } from "node:fs"
import type { Host } from "./platform.ts"

/** Facts about this machine that decide which runtime build can run. */
export function detectHost(): Host {
  return {
    platform: process.platform,
    arch: process.arch,
    musl: process.platform === "linux" && isMusl(),
    avx2: process.arch !== "x64" || hasAvx2(),
  }
}

function isMusl(): boolean {
  try {
    return readdirSync("/lib").some((f) => f.startsWith("ld-musl-"))
  } catch {
    return false
  }
}

function hasAvx2(): boolean {
  if (process.platform !== "linux") return true
  if (!existsSync("/proc/cpuinfo")) return true
  try {
    return /\bavx2\b/.test(readFileSync("/proc/cpuinfo", "utf8"))
  } catch {
    return true
  }
}
