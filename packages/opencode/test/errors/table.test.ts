import { describe, expect, test } from "bun:test"
import { OUTCOMES, outcomeOf, outcomeOfExit } from "../../src/errors/table.ts"
import { ExitCode } from "../../src/errors/exit-codes.ts"
import { UsageError } from "../../src/errors/usage.ts"
import { SessionNotFound, WriteFailed } from "../../src/export/document/errors.ts"
import { httpError } from "../../src/server/http-error.ts"
import { DatabaseUnreadable } from "../../src/storage/errors.ts"

describe("the error table", () => {
  test("one answer per error, whichever surface asks", () => {
    const unreadable = new DatabaseUnreadable({ path: "/d/opencode.db", message: "file is not a database" })
    expect(outcomeOf(unreadable)).toEqual({ exit: ExitCode.notFound, status: 500, code: "database_unreadable" })
    expect(outcomeOf(new SessionNotFound({ id: "ses_x", nearest: [], where: "/d" }))).toMatchObject({ exit: 1, status: 404 })
    expect(outcomeOf(new WriteFailed({ path: "/x", reason: "permission denied" }))).toMatchObject({ exit: 3 })
  })

  test("every code is snake_case and says one thing: errors that share a code share the whole row", () => {
    const byCode = new Map<string, string>()
    for (const [tag, outcome] of Object.entries(OUTCOMES)) {
      expect(outcome.code).toMatch(/^[a-z]+(_[a-z]+)*$/)
      const row = JSON.stringify(outcome)
      expect([tag, byCode.get(outcome.code) ?? row]).toEqual([tag, row])
      byCode.set(outcome.code, row)
    }
  })

  test("an exit code of the overlay CLI reads back as its row; anything else is the runtime failing", () => {
    expect(outcomeOfExit(ExitCode.usage)).toBe(OUTCOMES.UsageError)
    expect(outcomeOfExit(ExitCode.shareRefused)).toBe(OUTCOMES.ShareDisabled)
    expect(outcomeOfExit(ExitCode.writeFailed)).toMatchObject({ exit: 3, status: 409 })
    expect(outcomeOfExit(139)).toMatchObject({ exit: ExitCode.runtimeFailed, code: "runtime_failed" })
  })

  test("the server answers an error with its row's status and a JSON body { error, message }", async () => {
    const response = httpError(new UsageError({ message: "format must be markdown or json" })).getResponse()
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: "bad_request", message: "format must be markdown or json" })
  })
})
