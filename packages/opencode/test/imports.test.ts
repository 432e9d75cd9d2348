import { expect, test } from "bun:test"
import { Glob } from "bun"
import { join } from "node:path"

// `import { Effect } from "effect"` loads every module of the library: about
// 130 ms at each start of the overlay, which a small export cannot afford
// (see BENCHMARKS.md). Modules are imported one by one instead.
test("source files import effect modules one by one, never the barrel", async () => {
  const src = join(import.meta.dir, "..", "src")
  const offenders: string[] = []
  for await (const file of new Glob("**/*.ts").scan(src)) {
    const text = await Bun.file(join(src, file)).text()
    if (/from "effect"/.test(text)) offenders.push(file)
  }
  expect(offenders).toEqual([])
})
