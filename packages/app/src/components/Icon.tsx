/** A few line icons, drawn inline (no icon font, no emoji: they render the same everywhere). */
const PATHS = {
  lock: ["M7 11V8a5 5 0 0 1 10 0v3", "M5.5 11h13a1.5 1.5 0 0 1 1.5 1.5v7a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 19.5v-7A1.5 1.5 0 0 1 5.5 11z"],
  download: ["M12 4v11", "M7 10.5l5 5 5-5", "M5 20h14"],
  alert: ["M12 3.5L2.5 20h19z", "M12 10v4.5", "M12 17.2v.3"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  search: ["M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z", "M20 20l-4.8-4.8"],
  chevron: ["M9 6l6 6-6 6"],
  logo: ["M4 7l8-4 8 4v10l-8 4-8-4z", "M4 7l8 4 8-4", "M12 11v10"],
} as const

export type IconName = keyof typeof PATHS

export function Icon(props: { name: IconName; class?: string }) {
  return (
    <svg
      class={`icon ${props.class ?? ""}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      {PATHS[props.name].map((d) => (
        <path d={d} />
      ))}
    </svg>
  )
}
