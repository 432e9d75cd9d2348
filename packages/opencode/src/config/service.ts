import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SharePolicy } from "./policy.ts"
import type { Env } from "./env.ts"
import { readLayers } from "./read.ts"
import { sharePolicy } from "./share-policy.ts"
import type { ConfigLayer } from "./layer.ts"

/** The configuration layers of a directory, and the share policy they give. */
export class ShareConfig extends Context.Service<
  ShareConfig,
  {
    readonly layers: (directory: string, env: Env) => Effect.Effect<ReadonlyArray<ConfigLayer>>
    readonly policy: (directory: string, env: Env) => Effect.Effect<SharePolicy>
  }
>()("overlay/ShareConfig") {
  static readonly layer = Layer.succeed(
    ShareConfig,
    ShareConfig.of({
      layers: (directory, env) => Effect.sync(() => readLayers(directory, env)),
      policy: (directory, env) => Effect.sync(() => sharePolicy(directory, env)),
    }),
  )
}
