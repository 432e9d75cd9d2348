/**
 * Where the runtime's share traffic goes while sharing is disabled: a loopback
 * port nothing listens on (port 1 is privileged and unassigned in practice),
 * so even a bug in every other layer sends nothing off the machine.
 */
export const CLOSED_SHARE_HOST = "http://127.0.0.1:1"

/** The command a refusal points to instead of publishing. */
export const EXPORT_HINT = "opencode export <sessionID>"

export const GUARD_PLUGIN_ID = "local-overlay-share-guard"
