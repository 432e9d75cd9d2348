// @bun
import{re}from"./index-axdw9315.js";import{createInterface as u}from"readline/promises";var m=20,a=(e,t)=>e.length>t?`${e.slice(0,t-1)}\u2026`:e.padEnd(t);function d(e,t,i){let o=(r)=>t&&t.length>1&&(r===t||r.startsWith(`${t}/`))?`~${r.slice(t.length)}`:r,n=["Sessions, most recently updated first:",""];if(e.forEach((r,s)=>{let c=a(r.title.replace(/\s+/g," ")||"Untitled session",44);n.push(`  ${String(s+1).padStart(2)}  ${c}  ${re(r.time.updated)}  ${o(r.directory)}`)}),i)n.push("",`  (the ${e.length} most recent; type the id of an older one)`);return`${n.join(`
`)}

`}async function f(e,t){process.stderr.write(d(e,t.home,t.more));let i=u({input:process.stdin,output:process.stderr,terminal:!0});try{for(let o=0;o<5;o++){let n=(await i.question(`Export which session? 1-${e.length} or an id (Enter: 1, q: quit): `)).trim();if(n==="")return e[0]?.id;if(/^q(uit)?$/i.test(n))return;if(/^\d+$/.test(n)){let r=e[Number(n)-1];if(r)return r.id;process.stderr.write(`There is no number ${n} in the list.
`);continue}return n}return}catch{return}finally{i.close()}}export{m as PICKER_SIZE,f as pickSession,d as pickerList};
