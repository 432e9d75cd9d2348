import type * as Effect from "effect/Effect"
import type { Runtime } from "../runtime/service.ts"

/** What an overlay-owned command decides: an exit code for the overlay. */
export type CommandResult = number

export type CommandRun = (argv: ReadonlyArray<string>) => Effect.Effect<CommandResult, never, Runtime>

/** The module of a command: loaded only when that command runs, to keep start-up light. */
export type CommandModule = { readonly run: CommandRun }

/** A top-level command the overlay answers itself instead of the runtime. */
export type OverlayCommand = {
  readonly name: string
  readonly usage: string
  readonly summary: string
  readonly load: () => Promise<CommandRun>
}
