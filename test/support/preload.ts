import { setDefaultTimeout } from "bun:test"

// End-to-end tests boot the real runtime; a cold start on 2 cores takes seconds.
setDefaultTimeout(120_000)
