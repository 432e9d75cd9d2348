// @bun
var m={messages:0,userMessages:0,assistantMessages:0,toolCalls:0,failedTools:0,messageErrors:0,tokens:{input:0,output:0,reasoning:0,cacheRead:0,cacheWrite:0},cost:0,agents:[],models:[]};function $e(e){let n=0,s=m,t=(r)=>{n++,s=f(s,r.stats());for(let i of r.children)t(i)};return t(e),{...s,sessions:n}}function f(e,n){let s=[...e.agents];for(let r of n.agents)if(!s.includes(r))s.push(r);let t=[...e.models];for(let r of n.models)if(!t.some((i)=>i.providerID===r.providerID&&i.modelID===r.modelID))t.push(r);return{messages:e.messages+n.messages,userMessages:e.userMessages+n.userMessages,assistantMessages:e.assistantMessages+n.assistantMessages,toolCalls:e.toolCalls+n.toolCalls,failedTools:e.failedTools+n.failedTools,messageErrors:e.messageErrors+n.messageErrors,tokens:{input:e.tokens.input+n.tokens.input,output:e.tokens.output+n.tokens.output,reasoning:e.tokens.reasoning+n.tokens.reasoning,cacheRead:e.tokens.cacheRead+n.tokens.cacheRead,cacheWrite:e.tokens.cacheWrite+n.tokens.cacheWrite},cost:e.cost+n.cost,agents:s,models:t}}function Ne(e,n=()=>{return}){let s={messages:0,userMessages:0,assistantMessages:0,toolCalls:0,failedTools:0,messageErrors:0,cost:0},t={input:0,output:0,reasoning:0,cacheRead:0,cacheWrite:0},r=[],i=[],d=(o)=>typeof o==="number"&&Number.isFinite(o)?o:0,g=({info:o,parts:y})=>{if(s.messages++,o.role==="user")s.userMessages++;else{if(s.assistantMessages++,o.error)s.messageErrors++;t.input+=d(o.tokens?.input),t.output+=d(o.tokens?.output),t.reasoning+=d(o.tokens?.reasoning),t.cacheRead+=d(o.tokens?.cache?.read),t.cacheWrite+=d(o.tokens?.cache?.write),s.cost+=d(o.cost);let a=o.agent||o.mode;if(a&&!r.includes(a))r.push(a);if(!i.some((c)=>c.providerID===o.providerID&&c.modelID===o.modelID)){let c=n(o.providerID,o.modelID);i.push({providerID:o.providerID,modelID:o.modelID,...c?{name:c}:{}})}}for(let a of y){if(a.kind!=="part"||a.value.type!=="tool")continue;if(s.toolCalls++,a.value.state.status==="error")s.failedTools++}};return{entries:async function*(){for await(let o of e()){if(o.kind==="message")g(o.message);yield o}},stats:()=>({...s,tokens:{...t},agents:[...r],models:[...i]})}}function ht(e,n=[]){return async function*(){for(let s of n)yield{kind:"warning",warning:s};for(let s of e)yield{kind:"message",message:s}}}function gt(e){if(e.type!=="tool"||e.tool!=="task")return;let n="metadata"in e.state?e.state.metadata:void 0,s=n?.sessionId??n?.sessionID;return typeof s==="string"?s:void 0}var Ge=(e)=>({info:e.tree.info,runtime:e.runtime,overlay:e.overlay,redaction:e.redaction,stats:$e(e.tree)});var Ve="opencode-session-export",Qe=1,l=JSON.stringify;async function*yt(e){yield`{
  "format": ${l(Ve)},
  "schema_version": ${Qe},
  "exported_at": ${l(e.exportedAt)},
  "runtime": ${l(e.runtime)},
  "overlay": ${l(e.overlay)},
  "source": ${l(e.source)},
  "redaction": ${l({secrets:e.redaction.secrets,home:e.redaction.home,...e.redaction.rules?{rules:e.redaction.rules}:{},binary_payloads:"omitted"})},
  "session": `,yield*p(e.tree,"  "),yield`,
  "totals": ${l($e(e.tree))}
}
`}async function*p(e,n){let s=`${n}  `,t=`${n}    `,r=`${n}      `;yield`{
${s}"info": ${e.json},
${s}"todos": ${l(e.todos)},
${s}"messages": [`;let i=[...e.warnings],d=!0;for await(let y of e.entries()){if(y.kind==="warning"){i.push(y.warning);continue}let a=y.message,c=`${d?"":","}
${t}{"info": ${a.json},
${t} "parts": [`;d=!1;for(let u=0;u<a.parts.length;u++)c+=`${u===0?"":","}
${r}${a.parts[u].json}`;c+=a.parts.length===0?"]}":`
${t} ]}`,yield c}let g=`${d?"":`
${s}`}],
${s}"warnings": [`;g+=i.map((y,a)=>`${a===0?"":","}
${t}${l(y)}`).join("")+(i.length===0?"":`
${s}`),yield`${g}],
${s}"children": [`;let o=0;for(let y of e.children)yield`${o++===0?"":","}
${t}`,yield*p(y,t);yield`${o===0?"":`
${s}`}],
${s}"stats": ${l(e.stats())}
${n}}`}
export{$e,Ne,ht,gt,Ge,Ve,Qe,yt};
