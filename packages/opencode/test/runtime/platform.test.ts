import { describe, expect, test } from "bun:test"
import { platformPackages } from "../../src/runtime/platform.ts"

describe("platformPackages", () => {
  test("linux x64 with AVX2 prefers the regular build, then baseline, then musl", () => {
    expect(platformPackages({ platform: "linux", arch: "x64", musl: false, avx2: true })).toEqual([
      "opencode-linux-x64",
      "opencode-linux-x64-baseline",
      "opencode-linux-x64-musl",
      "opencode-linux-x64-baseline-musl",
    ])
  })

  test("a CPU without AVX2 gets the baseline build first", () => {
    expect(platformPackages({ platform: "linux", arch: "x64", musl: false, avx2: false })[0]).toBe(
      "opencode-linux-x64-baseline",
    )
  })

  test("musl systems get the musl builds first", () => {
    expect(platformPackages({ platform: "linux", arch: "arm64", musl: true, avx2: true })).toEqual([
      "opencode-linux-arm64-musl",
      "opencode-linux-arm64",
    ])
  })

  test("macOS and Windows names", () => {
    expect(platformPackages({ platform: "darwin", arch: "arm64", musl: false, avx2: true })).toEqual([
      "opencode-darwin-arm64",
    ])
    expect(platformPackages({ platform: "win32", arch: "x64", musl: false, avx2: true })).toEqual([
      "opencode-windows-x64",
      "opencode-windows-x64-baseline",
    ])
  })
})
