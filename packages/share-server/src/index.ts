/** The team share server: its HTTP app, storage and settings (the command line is `./cli`). */
export { shareApp, type AppDeps } from "./app.ts"
export { serverConfig, type ServerConfig } from "./config.ts"
export { ShareStore } from "./store.ts"
