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
import type { ModelNames } from "../document/tree.ts"
import type { Env } from "../../config/env.ts"

export type { ModelNames }

type Names = Map<string, string>

const key = (providerID: string, modelID: string) => `${providerID}\u0000${modelID}`

/** JSON, or JSONC (comments, trailing commas) when plain JSON does not parse; undefined for a missing or broken file. */
function readJson(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch {
    return undefined
  }
  try {
    // The catalogue is megabytes of plain JSON; jsonc-parser's parser is many times slower than JSON.parse.
    return JSON.parse(text)
  } catch {
    try {
      return parse(text, [], { allowTrailingComma: true })
    } catch {
      return undefined
    }
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

/**
 * Model names as seen from a session's folder. Each file is read once per
 * reader: an export of many sessions (`--all`) reads the catalogue and each
 * config file once, not once per session.
 */
export function modelNamesReader(env: Env = process.env): (directory: string) => ModelNames {
  const files = new Map<string, Names>()
  const namesIn = (path: string, pick: (json: unknown) => unknown): Names => {
    let names = files.get(path)
    if (!names) {
      names = new Map()
      collect(pick(readJson(path)), names)
      files.set(path, names)
    }
    return names
  }
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache")
  const catalogue = join(cacheHome, "opencode", "models.json")
  return (directory) => {
    const layers = [namesIn(catalogue, (json) => json)]
    for (const file of configFiles(directory, env)) layers.push(namesIn(file, (json) => (isObj(json) ? json.provider : undefined)))
    // Later files win.
    return (providerID, modelID) => {
      const k = key(providerID, modelID)
      for (let i = layers.length - 1; i >= 0; i--) {
        const name = layers[i]!.get(k)
        if (name !== undefined) return name
      }
      return undefined
    }
  }
}
