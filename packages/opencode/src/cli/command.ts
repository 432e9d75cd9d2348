import type { Effect } from "effect"
import type { Runtime } from "../runtime/service.ts"

/** What an overlay-owned command decides: an exit code for the overlay. */
export type CommandResult = number

/** A top-level command the overlay answers itself instead of the runtime. */
export type OverlayCommand = {
  readonly name: string
  readonly usage: string
  readonly summary: string
  readonly run: (argv: ReadonlyArray<string>) => Effect.Effect<CommandResult, never, Runtime>
}
