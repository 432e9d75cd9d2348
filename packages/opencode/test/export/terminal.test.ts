import { describe, expect, test } from "bun:test"
import { cleanTerminal } from "../../src/export/render/terminal.ts"

describe("terminal output in the readable exports", () => {
  test("colours and cursor moves go, the text stays", () => {
    expect(cleanTerminal("\x1b[1;31merror\x1b[0m: \x1b[4mbuild.sh\x1b[24m failed\x1b[K")).toBe("error: build.sh failed")
    expect(cleanTerminal("\x1b[2J\x1b[H\x1b[?25lready\x1b[?25h")).toBe("ready")
  })

  test("an OSC 8 hyperlink keeps its text", () => {
    expect(cleanTerminal("see \x1b]8;;https://example.com/docs\x1b\\the docs\x1b]8;;\x1b\\ now")).toBe("see the docs now")
    expect(cleanTerminal("title\x1b]0;window title\x07 done")).toBe("title done")
  })

  test("a progress bar rewritten 500 times shows its final state, on one line", () => {
    const bar = Array.from({ length: 500 }, (_, i) => `\r[${"#".repeat(Math.floor(i / 50))}${" ".repeat(10 - Math.floor(i / 50))}] ${i + 1}/500`).join("")
    expect(cleanTerminal(`downloading\n${bar}\ndone\n`)).toBe("downloading\n[######### ] 500/500\ndone\n")
    expect(cleanTerminal("long line\rshort")).toBe("shortline")
  })

  test("CRLF becomes LF; other control characters become visible escapes", () => {
    expect(cleanTerminal("a\r\nb\r\n")).toBe("a\nb\n")
    expect(cleanTerminal("bell\x07 null\x00 tab\tkept")).toBe("bell\\x07 null\\x00 tab\tkept")
  })

  test("plain text is returned as it is", () => {
    const text = "nothing special here\nat all"
    expect(cleanTerminal(text)).toBe(text)
  })
})
