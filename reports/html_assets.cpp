// The report's stylesheet and script, kept apart from the markup builders.
// The script only filters and counts what the markup already shows: the page
// is complete without it.
#include "reports/html_parts.hpp"

namespace acmespec::reports::html {

const char* const kCss = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px;color:#1b1b1b}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ddd}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
dt{font-weight:600;color:#555}dd{margin:0}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:700;text-transform:uppercase}
.verdict.pass{background:#2e7d32}.verdict.fail{background:#c62828}.verdict.error{background:#6a1b9a}
.counts{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}.counts .count{padding:4px 10px;border-radius:4px;color:#fff}
.o-pass{--c:#2e7d32}.o-fail{--c:#c62828}.o-warn{--c:#ef6c00}.o-info{--c:#1565c0}.o-skip{--c:#9e9e9e}.o-error{--c:#6a1b9a}
.count,.badge{background:var(--c)}.badge{color:#fff;border-radius:3px;padding:0 6px;font-size:12px;text-transform:uppercase}
.incomplete{background:#fff3cd;border:1px solid #e0c060;padding:6px 10px}
.chart text{font-size:12px;fill:#333}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0;position:sticky;top:0;background:#fff;padding:6px 0;z-index:2}
.matrix-wrap{overflow:auto;max-height:70vh;border:1px solid #ddd}
table.matrix{border-collapse:collapse;font-size:12px}
table.matrix th.col{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:400;padding:4px 2px;max-height:260px}
table.matrix th.row{text-align:left;white-space:nowrap;padding:0 8px;position:sticky;left:0;background:#fff}
table.matrix td{width:18px;height:18px;text-align:center;border:1px solid #f0f0f0;padding:0}
table.matrix td.cell{background:var(--c)}table.matrix td.cell a{color:#fff;text-decoration:none;display:block}
table.matrix td.dim{background:#fafafa}table.matrix td.dim a{visibility:hidden}
.hidden{display:none!important}
details.check{border:1px solid #ddd;border-left:6px solid var(--c);margin:4px 0;border-radius:3px}
details.check>summary{cursor:pointer;padding:4px 8px}details.check .body{padding:4px 12px 8px}
.scn{color:#666}.msg{color:#333}.note{color:#666;font-style:italic;margin:2px 0}
pre{background:#f6f8fa;padding:6px 8px;overflow:auto;max-height:400px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.exchange{border:1px solid #e4e4e4;margin:6px 0;padding:4px 8px;border-radius:3px}.xid{color:#888;font-family:monospace}
.xerror{color:#c62828}table.headers{font:12px monospace;border-collapse:collapse}table.headers th{text-align:left;padding-right:12px;vertical-align:top}
h4,h5{margin:6px 0 2px}
)css";

const char* const kScript = R"js(
(function(){
  "use strict";
  var $=function(s){return document.querySelector(s);};
  var all=function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
  function matches(el,f){
    return (!f.outcome||el.dataset.outcome===f.outcome)&&(!f.level||el.dataset.level===f.level)&&
      (!f.section||el.dataset.section===f.section)&&(!f.q||(el.dataset.check||"").toLowerCase().indexOf(f.q)>=0);
  }
  function apply(){
    var f={outcome:$("#f-outcome").value,level:$("#f-level").value,section:$("#f-section").value,
      q:$("#f-search").value.trim().toLowerCase()};
    var shown=0;
    all("details.check").forEach(function(d){var m=matches(d,f);d.classList.toggle("hidden",!m);if(m)shown++;});
    var cols={};
    all("#matrix tbody tr").forEach(function(tr){
      var any=false;
      Array.prototype.forEach.call(tr.querySelectorAll("td.cell"),function(td){
        var m=matches(td,f);td.classList.toggle("dim",!m);if(m){any=true;cols[td.dataset.col]=true;}
      });
      tr.classList.toggle("hidden",!any);
    });
    all("#matrix [data-col]").forEach(function(el){el.classList.toggle("hidden",!cols[el.dataset.col]);});
    $("#shown").textContent=String(shown);
    var h=[];["outcome","level","section","q"].forEach(function(k){if(f[k])h.push(k+"="+encodeURIComponent(f[k]));});
    try{if(h.length||location.hash.indexOf("=")>=0)history.replaceState(null,"",h.length?"#"+h.join("&"):location.pathname);}catch(e){}
  }
  // A filter in the address (#outcome=fail&q=7.4) is applied on load, so a
  // filtered view can be linked to.
  function fromHash(){
    location.hash.replace(/^#/,"").split("&").forEach(function(kv){
      var i=kv.indexOf("=");if(i<0)return;
      var k=kv.slice(0,i),v=decodeURIComponent(kv.slice(i+1));
      var el={outcome:"#f-outcome",level:"#f-level",section:"#f-section",q:"#f-search"}[k];
      if(el)$(el).value=v;
    });
  }
  all("details.check").forEach(function(d){
    var o=d.dataset.outcome,el=document.querySelector('[data-js-count="'+o+'"]');
    if(el)el.textContent=String(Number(el.textContent)+1);
  });
  $("#js-total").textContent=String(all("details.check").length);
  ["#f-outcome","#f-level","#f-section"].forEach(function(s){$(s).addEventListener("change",apply);});
  $("#f-search").addEventListener("input",apply);
  fromHash();
  apply();
  document.body.dataset.ready="1";
})();
)js";

}  // namespace acmespec::reports::html
