// @bun
import{Pe}from"./index-k281p108.js";var st="opencode-session-export",ot=1,e=JSON.stringify;async function*tr(n){yield`{
  "format": ${e(st)},
  "schema_version": ${ot},
  "exported_at": ${e(n.exportedAt)},
  "runtime": ${e(n.runtime)},
  "overlay": ${e(n.overlay)},
  "source": ${e(n.source)},
  "redaction": ${e({secrets:n.redaction.secrets,home:n.redaction.home,...n.redaction.rules?{rules:n.redaction.rules}:{},binary_payloads:"omitted"})},
  "session": `,yield*u(n.tree,"  "),yield`,
  "totals": ${e(Pe(n.tree))}
}
`}async function*u(n,i){let t=`${i}  `,r=`${i}    `,f=`${i}      `;yield`{
${t}"info": ${n.json},
${t}"todos": ${e(n.todos)},
${t}"messages": [`;let l=[...n.warnings],c=!0;for await(let s of n.entries()){if(s.kind==="warning"){l.push(s.warning);continue}let o=s.message,y=`${c?"":","}
${r}{"info": ${o.json},
${r} "parts": [`;c=!1;for(let a=0;a<o.parts.length;a++)y+=`${a===0?"":","}
${f}${o.parts[a].json}`;y+=o.parts.length===0?"]}":`
${r} ]}`,yield y}let p=`${c?"":`
${t}`}],
${t}"warnings": [`;p+=l.map((s,o)=>`${o===0?"":","}
${r}${e(s)}`).join("")+(l.length===0?"":`
${t}`),yield`${p}],
${t}"children": [`;let g=0;for(let s of n.children)yield`${g++===0?"":","}
${r}`,yield*u(s,r);yield`${g===0?"":`
${t}`}],
${t}"stats": ${e(n.stats())}
${i}}`}
export{st,ot,tr};
