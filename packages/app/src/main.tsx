import { render } from "solid-js/web"
import { App } from "./App.tsx"
import { EmbeddedExport } from "./components/EmbeddedExport.tsx"
import { exportFromHash } from "./lib/route.ts"
import "./styles.css"

const root = document.getElementById("root")
if (!root) throw new Error("index.html has no #root")
const embedded = exportFromHash(location.hash)
if (embedded) document.documentElement.classList.add("embedded")
render(() => (embedded ? <EmbeddedExport {...embedded} /> : <App />), root)
