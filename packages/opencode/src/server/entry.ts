/** `opencode serve` and `opencode web`, with the export route and the command registry mounted. */
import { listCommands } from "../session-command/registry.ts"
import { exportForHttp } from "./export-route.ts"
import { serveCommand, type Extras } from "./serve.ts"

const extras: Extras = ({ dataDir, runtimeVersion }) => ({
  exportSession: exportForHttp(runtimeVersion, dataDir),
  commands: (policy) => listCommands(policy),
})

export const serve = serveCommand("serve", extras)
export const web = serveCommand("web", extras)
