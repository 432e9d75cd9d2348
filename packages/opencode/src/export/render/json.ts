/**
 * The JSON renderer (pure): the lossless export, streamed as chunks. Same
 * tree and options, same bytes. The schema is `docs/export-format.md`.
 *
 * Layout: the envelope's keys one per line; inside the session tree, every
 * message's info and every part on a line of its own, each the value's
 * compact serialization, so a huge session streams without being built up
 * as one value, and `grep` or `jq` work on it line by line. Counts (`stats`,
 * `totals`) come last, as they are made while the messages stream by.
 */
import { treeStats, type ExportDocument, type SessionTree, type TreeWarning } from "../document/tree.ts"

export const FORMAT = "opencode-session-export"
export const SCHEMA_VERSION = 1

const q = JSON.stringify

export async function* renderJson(doc: ExportDocument): AsyncGenerator<string> {
  yield "{\n" +
    `  "format": ${q(FORMAT)},\n` +
    `  "schema_version": ${SCHEMA_VERSION},\n` +
    `  "exported_at": ${q(doc.exportedAt)},\n` +
    `  "runtime": ${q(doc.runtime)},\n` +
    `  "overlay": ${q(doc.overlay)},\n` +
    `  "source": ${q(doc.source)},\n` +
    `  "redaction": ${q({
      secrets: doc.redaction.secrets,
      home: doc.redaction.home,
      ...(doc.redaction.rules ? { rules: doc.redaction.rules } : {}),
      binary_payloads: "omitted",
    })},\n` +
    `  "session": `
  yield* tree(doc.tree, "  ")
  // Totals last: they are counted while the messages stream by.
  yield `,\n  "totals": ${q(treeStats(doc.tree))}\n}\n`
}

async function* tree(t: SessionTree, indent: string): AsyncGenerator<string> {
  const i1 = `${indent}  `
  const i2 = `${indent}    `
  const i3 = `${indent}      `
  yield `{\n${i1}"info": ${t.json},\n${i1}"todos": ${q(t.todos)},\n${i1}"messages": [`
  const warnings: TreeWarning[] = [...t.warnings]
  let first = true
  for await (const entry of t.entries()) {
    if (entry.kind === "warning") {
      warnings.push(entry.warning)
      continue
    }
    const m = entry.message
    let out = `${first ? "" : ","}\n${i2}{"info": ${m.json},\n${i2} "parts": [`
    first = false
    for (let k = 0; k < m.parts.length; k++) out += `${k === 0 ? "" : ","}\n${i3}${m.parts[k]!.json}`
    out += m.parts.length === 0 ? "]}" : `\n${i2} ]}`
    yield out
  }
  let out = `${first ? "" : `\n${i1}`}],\n${i1}"warnings": [`
  out += warnings.map((w, k) => `${k === 0 ? "" : ","}\n${i2}${q(w)}`).join("") + (warnings.length === 0 ? "" : `\n${i1}`)
  yield `${out}],\n${i1}"children": [`
  let k = 0
  for (const child of t.children) {
    yield `${k++ === 0 ? "" : ","}\n${i2}`
    yield* tree(child, i2)
  }
  yield `${k === 0 ? "" : `\n${i1}`}],\n${i1}"stats": ${q(t.stats())}\n${indent}}`
}
