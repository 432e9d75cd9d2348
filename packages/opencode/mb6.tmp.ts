import { Database } from "bun:sqlite"
import { createSanitizer } from "./src/export/screen/sanitize.ts"
import { loadPreset } from "./src/export/screen/preset.ts"
const db = new Database("/work/main/.bench/code-M/data/opencode/opencode.db", { readonly: true })
const rows = db.query("select data from part").all() as { data: string }[]
const jsons = rows.map((r) => r.data)
await loadPreset()
const s = createSanitizer({ redact: true, home: "/nonexistent/home" })
for (let round = 0; round < 4; round++) {
  const values = jsons.map((j) => JSON.parse(j))
  const t = performance.now()
  for (let i = 0; i < jsons.length; i++) await s.value(values[i], jsons[i]!)
  console.log("sanitize all parts", (performance.now() - t).toFixed(1))
}
