/**
 * Display names of models, for the database source (which stores only ids).
 * Read the way the runtime finds them, best effort and never failing: the
 * models.dev catalogue it caches, then the `provider.<id>.models.<id>.name`
 * of the global config and of the project config files of the session's
 * folder (later files win).
 */
import { readFileSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { parse } from "jsonc-parser"
import type { ModelNames } from "./tree.ts"
import type { Env } from "../config/env.ts"

export type { ModelNames }

type Names = Map<string, string>

const key = (providerID: string, modelID: string) => `${providerID}\u0000${modelID}`

function readJson(path: string): unknown {
  try {
    return parse(readFileSync(path, "utf8"), [], { allowTrailingComma: true })
  } catch {
    return undefined
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** `{ <provider>: { models: { <model>: { name } } } }`: the shape of models.dev and of `provider` in config. */
function collect(providers: unknown, into: Names): void {
  if (!isObj(providers)) return
  for (const [providerID, provider] of Object.entries(providers)) {
    if (!isObj(provider) || !isObj(provider.models)) continue
    for (const [modelID, model] of Object.entries(provider.models)) {
      if (isObj(model) && typeof model.name === "string" && model.name !== "") into.set(key(providerID, modelID), model.name)
    }
  }
}

function configFiles(directory: string, env: Env): string[] {
  const home = env.HOME || homedir()
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config")
  const files = ["config.json", "opencode.json", "opencode.jsonc"].map((n) => join(configHome, "opencode", n))
  if (env.OPENCODE_CONFIG) files.push(resolve(directory, env.OPENCODE_CONFIG))
  const dirs: string[] = []
  for (let dir = resolve(directory); ; dir = dirname(dir)) {
    dirs.unshift(dir)
    if (dirname(dir) === dir) break
  }
  for (const dir of dirs) for (const n of ["opencode.json", "opencode.jsonc"]) files.push(join(dir, n))
  for (const dir of dirs) for (const n of ["opencode.json", "opencode.jsonc"]) files.push(join(dir, ".opencode", n))
  return files
}

/** Model names as seen from `directory`. */
export function modelNames(directory: string, env: Env = process.env): ModelNames {
  const names: Names = new Map()
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache")
  collect(readJson(join(cacheHome, "opencode", "models.json")), names)
  for (const file of configFiles(directory, env)) {
    const config = readJson(file)
    if (isObj(config)) collect(config.provider, names)
  }
  return (providerID, modelID) => names.get(key(providerID, modelID))
}
