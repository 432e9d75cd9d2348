import { run } from "./main.ts"

await run(process.argv.slice(2))
