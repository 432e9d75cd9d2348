import { HTTPException } from "hono/http-exception"
import { outcomeOf, type OverlayError } from "../errors/table.ts"

/**
 * An overlay error as Hono's `HTTPException`: the error table's status, and
 * the JSON body every overlay route answers with, `{ error: <code>, message }`.
 * The app's one `onError` returns it as it is.
 */
export function httpError(error: OverlayError): HTTPException {
  const { status, code } = outcomeOf(error)
  return new HTTPException(status, { message: error.message, res: Response.json({ error: code, message: error.message }, { status }) })
}
