/** The words of every refusal to publish, the same on every surface (pure). */
import { describeSource, isProjectFile } from "../config/layer.ts"
import { describePolicy, policyJson, type PolicyJson, type SharePolicy } from "../config/policy.ts"
import { EXPORT_HINT } from "./constants.ts"

/** The `error` code of a refusal in JSON answers (the error table's for `ShareDisabled`). */
export const SHARE_DISABLED = "share_disabled"

export type Refusal = {
  readonly error: typeof SHARE_DISABLED
  readonly message: string
  /** The message as separate statements, for a terminal. */
  readonly lines: ReadonlyArray<string>
  readonly policy: Pick<PolicyJson, "mode" | "source" | "overridden">
  readonly export: string
}

/** `what` names the request: "opencode run --share", "POST /session/x/share", "/share". */
export function refusal(policy: SharePolicy, what: string): Refusal {
  const how =
    policy.source.kind === "managed"
      ? `The administrator disables sharing for every project on this machine (${policy.source.path}); no project can turn it back on.`
      : policy.source.kind !== "default" && isProjectFile(policy.source)
        ? `This project disables sharing in ${describeSource(policy.source)}; only a change to that file can enable it.`
        : policy.overridden.some((o) => isProjectFile(o.source) && o.cause === "unread")
          ? `This project's opencode.json enables sharing, but OPENCODE_DISABLE_PROJECT_CONFIG is set, so the runtime does not read it.`
          : `To allow sharing for this project, set "share": "manual" in its opencode.json.`
  const lines = [
    `Sharing is ${describePolicy(policy)}: ${what} was refused and nothing was published.`,
    `To hand this session to someone, export it locally: ${EXPORT_HINT}`,
    how,
  ]
  const summary = policyJson(policy)
  return {
    error: SHARE_DISABLED,
    message: lines.join(" "),
    lines,
    policy: { mode: summary.mode, source: summary.source, overridden: summary.overridden },
    export: EXPORT_HINT,
  }
}

/** The refusal for a terminal: one statement per line. */
export function refusalText(r: Refusal): string {
  return `opencode: ${r.lines.join("\n  ")}\n`
}
