// @bun
import{st,ot,tr}from"./index-zt0f13tk.js";export{st as FORMAT,ot as SCHEMA_VERSION,tr as renderJson};
