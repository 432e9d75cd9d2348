/**
 * The progress bar of `opencode export --all`, on stderr, only when stderr
 * is a terminal (redrawn in place on one line, cleared at the end).
 */

export type Progress = {
  readonly update: (done: number, label: string) => void
  readonly finish: () => void
}

const NONE: Progress = { update: () => {}, finish: () => {} }

/** One line of the bar (pure): `[#####-----] 12/40 label`, fitted to `columns`. */
export function progressLine(done: number, total: number, label: string, columns: number): string {
  const counter = `${done}/${total}`
  const width = Math.max(10, Math.min(30, columns - counter.length - 20))
  const filled = total === 0 ? width : Math.round((done / total) * width)
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`
  const room = Math.max(0, columns - bar.length - counter.length - 3)
  const text = label.length > room ? `${label.slice(0, Math.max(0, room - 1))}…` : label
  return `${bar} ${counter} ${text}`.slice(0, Math.max(0, columns - 1))
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE
  return {
    update: (done, label) => stream.write(`\r\x1b[2K${progressLine(done, total, label, stream.columns || 80)}`),
    finish: () => stream.write("\r\x1b[2K"),
  }
}
