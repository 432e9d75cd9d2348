import { expect, test } from "bun:test"
import { getTableColumns } from "drizzle-orm"
import { session } from "../../src/storage/schema.ts"
import { SESSION_COLUMNS } from "../../src/storage/session-select.ts"

test("the export's plain session select names the same columns as the drizzle schema", () => {
  const fromSchema = Object.fromEntries(Object.entries(getTableColumns(session)).map(([key, column]) => [key, column.name]))
  expect({ ...SESSION_COLUMNS } as Record<string, string>).toEqual(fromSchema)
})
