/**
 * The demo: a real session made by the pinned OpenCode runtime, through the
 * overlay, in a throwaway home, answered by the bundled mock model (no provider
 * account, no network). It prints where the session lives, then exports it.
 */
import { createSandbox } from "../test/support/sandbox.ts"
import { turn } from "../test/support/mock-llm.ts"

const step = (text: string) => process.stderr.write(`\n▸ ${text}\n`)

const sandbox = await createSandbox({ keep: true, prefix: "opencode-demo-", title: "Demo: count the files" })
try {
  step(`Throwaway home: ${sandbox.root}`)
  step("Running `opencode run -m mock/mock-model …` through the overlay (the mock model asks for one bash call)")
  const result = await sandbox.prompt("How many files are in this project?", [
    turn.bash("ls -1 | wc -l", "Count the files"),
    turn.text("There is **1** file here: `opencode.json`.\n\n````md\n```sh\nls -1 | wc -l\n```\n````"),
  ])
  if (result.code !== 0 || result.sessionIDs.length !== 1) {
    process.stderr.write(result.stderr)
    throw new Error(`the runtime exited with ${result.code} and made ${result.sessionIDs.length} sessions`)
  }
  const sessionID = result.sessionIDs[0]!
  const db = sandbox.database()
  const session = db
    .query<{ title: string; directory: string }, [string]>("select title, directory from session where id = ?")
    .get(sessionID)
  const counts = db
    .query<{ messages: number; parts: number }, [string]>(
      "select (select count(*) from message where session_id = ?1) as messages, (select count(*) from part where session_id = ?1) as parts",
    )
    .get(sessionID)
  db.close()

  step("Session created")
  console.log(`session:   ${sessionID}`)
  console.log(`title:     ${session?.title}`)
  console.log(`project:   ${session?.directory}`)
  console.log(`messages:  ${counts?.messages} (${counts?.parts} parts)`)
  console.log(`database:  ${sandbox.databasePath}`)
  console.log(`home:      ${sandbox.root}  (set HOME and XDG_*_HOME there to open it with opencode)`)

  step("Exporting it with `opencode export <id>` (Markdown, secrets redacted, nothing published)")
  const exported = await sandbox.run(["export", sessionID, "-o", sandbox.root])
  if (exported.code !== 0) {
    process.stderr.write(exported.stderr)
    throw new Error(`opencode export exited with ${exported.code}`)
  }
  const file = exported.stdout.trim()
  console.log(`export:    ${file}`)
  step("The start of the export")
  const text = await Bun.file(file).text()
  console.log(text.split("\n").slice(0, 24).join("\n"))
} finally {
  await sandbox.dispose()
}
