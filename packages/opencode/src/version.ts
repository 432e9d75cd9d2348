import pkg from "../package.json" with { type: "json" }

/** The overlay's own version, from its package.json. */
export const OVERLAY_VERSION: string = pkg.version
export const OVERLAY_NAME = "opencode-local-overlay"

/** The npm package of the OpenCode runtime the overlay pins and runs. */
export const RUNTIME_PACKAGE = "opencode-ai"
