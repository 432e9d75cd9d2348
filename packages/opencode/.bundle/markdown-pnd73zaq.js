// @bun
import{Le}from"./index-82n71v39.js";import{I,re,ne,h,qe,S}from"./index-axdw9315.js";import{Ee,Ye,Ze,pe,Xe,et,ke,tt,rt,ve,nt,$e}from"./index-xx8pskvx.js";import{at}from"./index-k281p108.js";function A(n,t="`"){let e=0,r=0;while(!0){let o=n.indexOf(t,r);if(o===-1)return e;let s=o+1;while(n.charCodeAt(s)===t.charCodeAt(0))s++;if(s-o>e)e=s-o;r=s}}function L(n){return"`".repeat(Math.max(3,A(n)+1))}function c(n,t=""){let e=n.replace(/\r\n?/g,`
`),r=L(e),o=t.replace(/[`\s]/g,"");return`${r}${o}
${e}${e===""||e.endsWith(`
`)?"":`
`}${r}
`}function C(n){let t=new Set,e=/`+/g;for(let r=e.exec(n);r;r=e.exec(n))t.add(r[0].length);return t}function u(n){if(!/[`\r\n]/.test(n)&&!n.startsWith(" ")&&!n.endsWith(" "))return`\`${n}\``;let t=n.replace(/\r\n?|\n/g," "),e=C(t),r=1;while(e.has(r))r++;let o="`".repeat(r),s=t.startsWith("`")||t.endsWith("`")||/^ .* $/.test(t)&&t.trim()!==""?" ":"";return`${o}${s}${t}${s}${o}`}var P=/^( {0,3})(`{3,}|~{3,})(.*)$/,W=/^( {0,3})(#{1,6})(?=[ \t]|$)/,j=/^ {0,3}(?:=+|-+)[ \t]*$/,F=/^ {0,3}<(?:[A-Za-z]|\/[A-Za-z]|!|\?)/,_=/^ {0,3}\[(?:[^\]\\]|\\.)+\]:/,z=/^ {0,3}(?:#|```|~~~|<|\[|=|-+[ \t]*$)/m;function D(n){let t=n.includes("\r")?n.replace(/\r\n?/g,`
`):n;return t.endsWith(`
`)?t.replace(/\n+$/,""):t}function x(n,t){let e=D(n);if(!z.test(e))return{kind:"markdown",text:`${e}
`};let r=Math.max(0,t-1),o=e.split(`
`),s=[],i,l=!0;for(let d of o){if(i){s.push(d);let g=/^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(d);if(g&&g[1][0]===i.char&&g[1].length>=i.length)i=void 0;l=!1;continue}let f=P.exec(d);if(f&&!(f[2][0]==="`"&&f[3].includes("`"))){i={char:f[2][0],length:f[2].length},s.push(d),l=!1;continue}if(F.test(d)||_.test(d))return y(n);if(!l&&j.test(d))return y(n);let p=W.exec(d);if(p){let g=Math.min(6,p[2].length+r);s.push(p[1]+"#".repeat(g)+d.slice(p[0].length))}else s.push(d);l=d.trim()===""}if(i)return y(n);return{kind:"markdown",text:`${s.join(`
`)}
`}}function y(n){return{kind:"fenced",text:c(D(n),"markdown")}}var k=/[\\`*_[\]<>#|~&!]/g;function a(n){let t=/[\r\n]/.test(n)?n.replace(/\s*[\r\n]+\s*/g," "):n;return k.lastIndex=0,k.test(t)?t.replace(k,(e)=>`\\${e}`):t}function w(n){return n.replace(/\n$/,"").split(`
`).map((t)=>t===""?">":`> ${t}`).join(`
`).concat(`
`)}var b=(n)=>Math.min(6,2+2*n),U=(n)=>Math.min(6,1+2*n),m=(n,t)=>`${"#".repeat(n)} ${t}

`;function an(n,t){return{body:$e(n.tree,0,v(t)),header:()=>R(n)}}function R(n){let{tree:t}=n,e=t.info,r=[m(1,a(e.title||"Untitled session")).trimEnd(),""];for(let[s,i]of Ye(at(n)))r.push(`- ${s}: ${Ze(i,u,a)}`);if(r.push(""),t.todos.length>0){r.push("Todos:","");for(let s of t.todos){let i=s.status==="completed",l=i?"":` (${a(s.status)}${s.priority?`, ${a(s.priority)} priority`:""})`;r.push(`- [${i?"x":" "}] ${a(s.content)}${l}`)}r.push("")}let o=`${r.join(`
`)}
`;for(let s of t.warnings)o+=M(s);return o}function M(n){let t=n.kind==="part"?`Part ${u(n.id)}${n.messageID?` of message ${u(n.messageID)}`:""}`:n.kind==="message"?`Message ${u(n.id)}`:`Session ${u(n.id)}`;return w(`**Warning:** ${t} could not be read: ${a(n.problem)}. It is left out here; the JSON export lists it under \`warnings\`.`)+`
`}function v(n){return{warning:M,user:(t,e,r)=>B(t,e,b(r),n),assistant:(t,e)=>H(t,b(e)),part:(t,e)=>J(t,b(e),n),unsupported:(t)=>`**Unsupported part** ${u(t.type)} (${u(t.id)}): not shown here; the JSON export keeps it.

`,childMissing:(t)=>`*${rt(t,u)}*

`,endMessage:(t)=>t.role==="assistant"&&t.error?q(t.error):"",startSubagent:(t,e)=>{let r=t.info,o=m(U(e),`Subagent: ${a(r.title||"Untitled session")}`);o+=`Session ${u(r.id)}${r.agent?` \xB7 agent ${a(r.agent)}`:""} \xB7 created ${I(r.time.created)}

`;for(let s of t.warnings)o+=M(s);return o},endSubagent:(t)=>`*End of subagent session ${u(t.info.id)} (${S(t.stats().messages,"message")}).*

`,endSession:(t,e)=>n.diffs?G(t,b(e)):""}}function B(n,t,e,r){let o=m(e,`User \xB7 ${re(t.time.created)}`);for(let{kind:s,value:i}of n.parts){if(s!=="part")continue;switch(i.type){case"text":if(i.ignored)break;if(i.synthetic){if(r.toolDetails)o+=`*Added by the runtime:*

${E(i.text,"text")}`;break}o+=N(i.text,e);break;case"file":o+=O(i);break;case"agent":o+=`**Agent** @${a(i.name)}

`;break;case"compaction":o+=`**Compaction** ${ke(i.auto)}

`;break;case"subtask":if(o+=`**Subtask** for @${a(i.agent)}: ${a(i.description)}

`,r.toolDetails)o+=c(i.prompt,"text")+`
`;break;default:break}}if(r.diffs)for(let s of t.summary?.diffs??[])o+=T(s);return o}function H(n,t){let e=[tt(n),a(n.agent||n.mode||"agent"),a(`${n.providerID}/${n.modelID}`)];return e.push(n.time.completed!==void 0?ne(n.time.completed-n.time.created):"unfinished"),m(t,e.join(" \xB7 "))}function N(n,t){if(n.trim()==="")return"";return`${x(n,t+1).text}
`}function J(n,t,e){switch(n.type){case"text":if(n.ignored)return"";if(n.synthetic)return e.toolDetails?`*Added by the runtime:*

${E(n.text,"text")}`:"";return N(n.text,t);case"reasoning":if(!e.thinking||n.text.trim()==="")return"";return w(`**Thinking**

${x(n.text,t+1).text}`)+`
`;case"tool":return V(n,e);case"file":return O(n);case"patch":if(!e.diffs)return"";return`**Patch** ${u(n.hash)}: ${n.files.length===0?"no files":n.files.map((r)=>u(r)).join(", ")}

`;case"retry":return`**Retry** attempt ${h(n.attempt)} after an error:

${c(ve(n.error),"text")}
`;case"compaction":return`**Compaction** ${ke(n.auto)}

`;case"agent":return`**Agent** @${a(n.name)}

`;case"subtask":return`**Subtask** for @${a(n.agent)}: ${a(n.description)}

`;case"step-start":case"step-finish":case"snapshot":return""}}function V(n,t){let e=n.state,r=[`**Tool** ${u(n.tool)}`],o=pe(Le(n));if(o!=="")r.push(a(o));let s=et(e);r.push(s.failed?`**${s.label}**`:s.label,...s.took?[s.took]:[]);let i=`${r.join(" \xB7 ")}

`;if(e.status==="error")i+=`**Error:**

${c(Ee(e.error),"text")}
`;if(t.toolDetails){if(i+=`*Input:*

${c(JSON.stringify(e.input??{},null,2),"json")}
`,e.status==="completed")i+=`*Output:*

${E(e.output,"text")}`}if(t.diffs){let l="metadata"in e?e.metadata?.diff:void 0;if(typeof l==="string"&&l.trim()!=="")i+=`*Diff:*

${c(l,"diff")}
`}return i}function E(n,t){let{shown:e,note:r}=Xe(n);return r===void 0?`${c(e,t)}
`:`${c(e,t)}
*${r}*

`}function O(n){let t=[`**File** ${u(nt(n))}`,a(n.mime)];if(n.payload&&typeof n.payload.size==="number"){if(t.push(qe(n.payload.size)),n.payload.sha256)t.push(`sha256 ${u(n.payload.sha256)}`)}else if(!n.url.startsWith("[OMITTED"))t.push(`at ${u(pe(n.url,300))}`);return`${t.join(" \xB7 ")}

`}function q(n){return`**Error** (${u(n.name)}):

${c(ve(n),"text")}
`}function T(n){let t=`**Changed** ${u(n.file??"?")} \xB7 +${h(n.additions)} \u2212${h(n.deletions)}${n.status?` \xB7 ${a(n.status)}`:""}

`;if(n.patch&&n.patch.trim()!=="")t+=`${c(n.patch,"diff")}
`;return t}function G(n,t){let e=n.info.summary?.diffs??[];if(e.length===0)return"";let r=m(t,"Changes");for(let o of e)r+=T(o);return r}export{an as renderMarkdown};
