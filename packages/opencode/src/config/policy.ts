/**
 * The overlay's share policy, resolved from the config layers (pure).
 *
 * - No value anywhere: `"disabled"`.
 * - Layers apply lowest to highest, as the runtime merges them.
 * - A project file's `"disabled"` is sticky: nothing after it turns sharing on.
 * - The administrator's `"disabled"` (merged last) locks every project, the
 *   ones that opted in included.
 * - Only the project's own config files can enable (`"manual"` / `"auto"`);
 *   global files, variables and the administrator's folder, which reach every
 *   project, can only disable. A project file the runtime does not read
 *   (`OPENCODE_DISABLE_PROJECT_CONFIG`) cannot enable either.
 * - A file that does not parse, or an unknown value, counts as `"disabled"`.
 */
import {
  describeSource,
  canEnable,
  isProjectFile,
  type ConfigLayer,
  type LayerSource,
  type ParseProblem,
  type ShareMode,
} from "./layer.ts"

export type PolicySource = LayerSource | { readonly kind: "default" }

export type OverriddenAttempt = {
  readonly source: LayerSource
  readonly mode: ShareMode
  /** Why it did not take effect, in a word. */
  readonly cause: OverrideCause
  readonly reason: string
}

export type OverrideCause =
  /** The runtime does not read the file (`OPENCODE_DISABLE_PROJECT_CONFIG`). */
  | "unread"
  /** The project said `"disabled"` earlier. */
  | "project-disabled"
  /** Not a project file: it can only disable. */
  | "cannot-enable"
  /** The administrator's `"disabled"`. */
  | "locked"
  /** A later layer decided otherwise. */
  | "later"

export type SharePolicy = {
  readonly mode: ShareMode
  /** The layer that decided the mode. */
  readonly source: PolicySource
  /** Attempts to enable sharing that did not take effect, and why. */
  readonly overridden: ReadonlyArray<OverriddenAttempt>
  /** Config files that could not be read; each counted as `"disabled"`. */
  readonly problems: ReadonlyArray<{ readonly source: LayerSource; readonly problem: ParseProblem }>
}

const enables = (mode: ShareMode) => mode !== "disabled"

type Decision = { mode: ShareMode; source: PolicySource; sticky: boolean }

export function resolveSharePolicy(layers: ReadonlyArray<ConfigLayer>): SharePolicy {
  let decision: Decision = { mode: "disabled", source: { kind: "default" }, sticky: false }
  const attempts: Array<{ source: LayerSource; mode: ShareMode; cause?: OverrideCause; reason?: string }> = []
  const problems: SharePolicy["problems"][number][] = []

  for (const layer of layers) {
    const wanted: ShareMode | undefined = layer.problem
      ? "disabled"
      : layer.share?.kind === "invalid"
        ? "disabled"
        : layer.share?.mode
    if (layer.problem) problems.push({ source: layer.source, problem: layer.problem })
    if (wanted === undefined) continue

    if (!enables(wanted)) {
      decision = {
        mode: "disabled",
        source: layer.source,
        sticky: decision.sticky || isProjectFile(layer.source),
      }
      continue
    }
    if (layer.unread) {
      attempts.push({ source: layer.source, mode: wanted, cause: "unread", reason: `${layer.unread}, so this file's "${wanted}" does not reach it` })
      continue
    }
    if (decision.sticky) {
      attempts.push({
        source: layer.source,
        mode: wanted,
        cause: "project-disabled",
        reason: `the project says "disabled" in ${describeSource(decision.source)}, which nothing can turn back on`,
      })
      continue
    }
    if (!canEnable(layer.source)) {
      attempts.push({
        source: layer.source,
        mode: wanted,
        cause: "cannot-enable",
        reason: `${describeSource(layer.source)} can only disable sharing; a project enables it with "share": "manual" or "auto" in its own opencode.json`,
      })
      continue
    }
    attempts.push({ source: layer.source, mode: wanted })
    decision = { mode: wanted, source: layer.source, sticky: false }
  }

  // An enabling attempt that is not the deciding layer was overridden by a later one.
  const lockedBy = decision.source.kind === "managed" ? decision.source : undefined
  const overridden = attempts
    .filter((a) => a.source !== decision.source)
    .map(
      (a): OverriddenAttempt => ({
        source: a.source,
        mode: a.mode,
        cause: a.cause ?? (lockedBy ? "locked" : "later"),
        reason:
          a.reason ??
          (lockedBy
            ? `the administrator disables sharing for every project in ${lockedBy.path}`
            : `overridden by ${describeSource(decision.source)} ("${decision.mode}")`),
      }),
    )
  return { mode: decision.mode, source: decision.source, overridden, problems }
}

/** One line for messages: `disabled (default)`, `disabled (from /p/opencode.json)`. */
export function describePolicy(policy: SharePolicy): string {
  return policy.source.kind === "default"
    ? `${policy.mode} (default)`
    : `${policy.mode} (from ${describeSource(policy.source)})`
}

/** The policy as plain data, sources named as people read them: HTTP answers, `--json`, refusals. */
export function policyJson(policy: SharePolicy) {
  return {
    mode: policy.mode,
    source: describeSource(policy.source),
    overridden: policy.overridden.map((o) => ({ source: describeSource(o.source), mode: o.mode, cause: o.cause, reason: o.reason })),
    problems: policy.problems.map((p) => ({ source: describeSource(p.source), ...p.problem })),
  }
}

export type PolicyJson = ReturnType<typeof policyJson>
