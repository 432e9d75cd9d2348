import { describe, expect, test } from "bun:test"
import { matchRoute, routeSegments } from "../../src/http/route-path.ts"

const SHARE = "/session/:sessionID/share"

describe("routes in every spelling the runtime's router accepts", () => {
  test("the spellings the pinned runtime routes to its share handler all match", () => {
    // Each of these reached the share handler of opencode-ai 1.18.33 (a POST answered by it).
    for (const path of [
      "/session/ses_1/share",
      "/session/ses_1/SHARE",
      "/Session/ses_1/share",
      "/SESSION/ses_1/Share",
      "//session/ses_1/share",
      "/session//ses_1/share",
      "/session/ses_1//share",
      "/session/ses_1/share/",
      "/session/ses_1/share;x=1",
      "/session/ses_1/%73hare",
      "/%73ession/ses_1/share",
      "/session/ses_1/shar%65",
      "/session/ses_1/share#x",
    ])
      expect([path, matchRoute(path, SHARE)]).toEqual([path, { sessionID: "ses_1" }])
  })

  test("an encoded ?, #, ; or / stays in its segment, as the router keeps it in the parameter", () => {
    // The runtime's share handler got each of these with the character in the id (seen: "Session not found: ses_1?").
    for (const [path, id] of [
      ["/session/ses_1%3F/share", "ses_1?"],
      ["/session/ses_1%3Fx/share", "ses_1?x"],
      ["/session/ses_1%23/share", "ses_1#"],
      ["/session/ses_1%3B/share", "ses_1;"],
      ["/session/ses_1%2Fx/share", "ses_1/x"],
    ])
      expect([path, matchRoute(path!, SHARE)?.sessionID]).toEqual([path, id])
  })

  test("wider than the router where that costs nothing: dot segments, backslashes, double encoding", () => {
    for (const path of ["/session/./ses_1/share", "/session/x/../ses_1/share", "\\session\\ses_1\\share", "/session/ses_1/%2573hare"])
      expect([path, matchRoute(path, SHARE)?.sessionID]).toEqual([path, "ses_1"])
  })

  test("other routes do not match", () => {
    for (const path of ["/session/ses_1", "/session/ses_1/share/x", "/session/ses_1/shared", "/session/ses_1/message", "/session", "/api/session/ses_1/share", "/session/ses_1%2Fshare", "/session/ses_1/share%3Bx"])
      expect([path, matchRoute(path, SHARE)]).toEqual([path, undefined])
  })

  test("segments keep their case; broken encoding is read as it is", () => {
    expect(routeSegments("/Session/SES_Ab/%zz")).toEqual(["Session", "SES_Ab", "%zz"])
  })
})
