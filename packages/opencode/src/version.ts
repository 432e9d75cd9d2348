import pkg from "../package.json" with { type: "json" }

/** The overlay's own version, from its package.json. */
export const OVERLAY_VERSION: string = pkg.version
export const OVERLAY_NAME = "opencode-local-overlay"
