import { defineConfig, type Plugin } from "vite"
import solid from "vite-plugin-solid"

/**
 * Defense in depth for session content: the built page runs only its own
 * script and loads nothing from elsewhere (no inline script, no remote image).
 * Build only: the dev server injects inline styles and its client.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join("; ")

const contentSecurityPolicy = (): Plugin => ({
  name: "overlay-csp",
  apply: "build",
  transformIndexHtml: (html) => html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
})

/**
 * Two entries. The session-log browser (`index.html`): the overlay server
 * serves `dist/` at `/logs/` (asset URLs are relative, so any prefix works).
 * The addition to the runtime's own app (`src/addon/main.ts`): one
 * self-contained `dist/addon.js` that the server links from that app's page.
 */
export default defineConfig({
  plugins: [solid(), contentSecurityPolicy()],
  base: "./",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    rollupOptions: {
      input: { index: "index.html", addon: "src/addon/main.ts" },
      output: { entryFileNames: (chunk) => (chunk.name === "addon" ? "addon.js" : "assets/[name]-[hash].js") },
    },
  },
  server: {
    // `bun x vite` in packages/app during development: the API comes from a running `opencode serve`.
    proxy: Object.fromEntries(
      ["/overlay", "/event", "/global", "/session"].map((path) => [
        path,
        { target: process.env.OVERLAY_URL ?? "http://127.0.0.1:4096", changeOrigin: true },
      ]),
    ),
  },
})
