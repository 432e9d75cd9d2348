/**
 * The shapes of the overlay server's `/overlay/*` answers, for its clients:
 * the web app imports them as `@local/opencode/http` (types only), so it
 * reads exactly what the server writes.
 */
export type { PolicyJson } from "../config/policy.ts"
export type { ExportFormat, ExportOptions } from "../export/document/choices.ts"
export type { CommandInfo } from "../session-command/registry.ts"
export type { SessionListItem } from "../storage/session-list.ts"
export type { Message, Part, Session, Todo } from "@opencode-ai/sdk/v2"
export type { FORMAT as JSON_EXPORT_FORMAT, SCHEMA_VERSION as JSON_EXPORT_SCHEMA_VERSION } from "../export/render/json.ts"
export type { ExportContext, ModelUse, Redaction, SessionStats, TreeWarning } from "../export/document/tree.ts"
export type { UnknownPart } from "../model/parts.ts"
export type { HitJson, SearchAnswer } from "../history/request.ts"
