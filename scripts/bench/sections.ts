/**
 * BENCHMARKS.md again with what a run measured: each section it wrote
 * replaces the section of the same heading, the others (what was not measured
 * this time, the notes written by hand) stay where they were; a new section
 * goes before the notes. Every bench script writes through this.
 */
export function mergeSections(previous: string | undefined, fresh: ReadonlyArray<string>): string {
  const sections = (text: string) => text.split(/\n(?=## )/)
  const heading = (section: string) => section.split("\n", 1)[0]!
  const measured = new Map(fresh.map((section) => [heading(section), section]))
  const kept = previous === undefined ? [] : sections(previous)
  const out = kept.map((section) => measured.get(heading(section)) ?? section)
  for (const [title, section] of measured) {
    if (kept.some((k) => heading(k) === title)) continue
    const notes = out.findIndex((k) => heading(k) === "## Notes")
    out.splice(notes === -1 ? out.length : notes, 0, section)
  }
  return out.join("\n")
}
