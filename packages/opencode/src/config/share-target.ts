/**
 * Where a project's sharing goes (pure): the share host its config layers
 * name, as the runtime decides it. The runtime reads `enterprise.url` from its
 * merged config, the administrator's folder merged last; without one it
 * publishes to the public service. So the administrator's value wins, and
 * otherwise the highest layer that names one. Which of these hosts is a team
 * share server the overlay stands in front of is `team/route.ts`'s question.
 */
import { describeSource, type ConfigLayer, type LayerSource } from "./layer.ts"

/** The runtime's default share host (the public service), where no layer names one. */
export const PUBLIC_SHARE_HOST = "https://opncd.ai"

export type ShareTarget =
  | { readonly kind: "public"; readonly url: typeof PUBLIC_SHARE_HOST }
  | { readonly kind: "named"; readonly url: string; readonly source: LayerSource }

export function shareTarget(layers: ReadonlyArray<ConfigLayer>): ShareTarget {
  let named: ShareTarget | undefined
  for (const layer of layers) {
    if (layer.enterprise === undefined) continue
    named = { kind: "named", url: layer.enterprise, source: layer.source }
  }
  return named ?? { kind: "public", url: PUBLIC_SHARE_HOST }
}

/** The target in words: its address and the layer that named it. */
export const describeTarget = (target: ShareTarget): string =>
  target.kind === "public" ? `${target.url} (the public service, the runtime's default)` : `${target.url} (named by ${describeSource(target.source)})`
