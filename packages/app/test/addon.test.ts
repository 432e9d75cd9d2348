import { describe, expect, test } from "bun:test"
import { exportHash, sessionInPath } from "../src/addon/paths.ts"
import { exportFromHash } from "../src/lib/route.ts"

describe("the addition's reading of the runtime app's URLs", () => {
  test("a session page, in either of the app's forms", () => {
    expect(sessionInPath("/server/aHR0cDovLzEyNy4wLjAuMTo0MDk2/session/ses_abc")).toEqual({ sessionID: "ses_abc" })
    expect(sessionInPath("/L3RtcC9wcm9q/session/ses_abc/")).toEqual({ sessionID: "ses_abc" })
  })

  test("anything else is no session", () => {
    for (const path of ["/", "/L3RtcC9wcm9q/session", "/logs/", "/a/b/session/ses_x", "/L3RtcC9wcm9q/session/%E0%A4%A"])
      expect(sessionInPath(path)).toBeUndefined()
  })

  test("the dialog's address round-trips through the overlay app's route, title included", () => {
    expect(exportFromHash(exportHash("ses_1", "Fix the build & ship"))).toEqual({ sessionID: "ses_1", title: "Fix the build & ship" })
    expect(exportFromHash(exportHash("ses_1"))).toEqual({ sessionID: "ses_1" })
    expect(exportFromHash("#/session/ses_1")).toBeUndefined()
  })
})
