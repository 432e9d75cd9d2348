/** A process environment as the overlay reads it: `process.env`, or one built for a child process. */
export type Env = Readonly<Record<string, string | undefined>>

/** A runtime switch variable, read as the runtime reads it: on when "1" or "true", any case. */
export const envFlag = (env: Env, name: string): boolean => {
  const value = env[name]?.toLowerCase()
  return value === "1" || value === "true"
}
