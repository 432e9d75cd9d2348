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
 * The overlay server serves `dist/index.html` at `/` and `dist/assets/*` at
 * `/assets/*`. Asset URLs are relative, so the app also works behind a prefix.
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
