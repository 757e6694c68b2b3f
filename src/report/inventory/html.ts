/**
 * Inventory as ONE self-contained HTML page: styles, script and data inline,
 * nothing fetched. A Content-Security-Policy meta allows no source at all
 * except the page's own style and script, pinned by their SHA-256 hashes.
 *
 * The page holds: a summary (cards), a timeline chart (inline SVG drawn by
 * the inline script from the embedded JSON: secrets introduced and removed per
 * month, and how many stood exposed), a table with one row per secret (click
 * a header to sort, a text box and a severity menu to filter), and a "What to
 * do" list per secret. The summary, table and list are plain HTML, readable
 * with scripts off.
 *
 * Escaping: every repository string goes through {@link html}; the embedded
 * JSON through {@link scriptJson} (`<` as `\u003c`, so `</script>` cannot end
 * the block); links only for http(s) references.
 */
import { createHash } from "node:crypto";
import type { Severity } from "../../engine/types.js";
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { html, scriptJson } from "../escape.js";
import { byRisk, day, shownSecret, timeline, type InventoryViewOptions } from "./view.js";

const SEV_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --card: #f6f8fa; --line: #d1d9e0;
  --critical: #b3261e; --high: #d1242f; --medium: #9a6700; --low: #0969da; --in: #cf222e; --out: #1a7f37; --exp: #8250df; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d;
  --critical: #ff7b72; --high: #f85149; --medium: #d29922; --low: #58a6ff; --in: #f85149; --out: #3fb950; --exp: #bc8cff; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 16px 0 4px; }
.meta, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
figure { margin: 0; } #chart { width: 100%; height: auto; display: block; }
#chart .bar-in { fill: var(--in); } #chart .bar-out { fill: var(--out); } #chart .exposed { fill: none; stroke: var(--exp); stroke-width: 2; }
#chart .axis { stroke: var(--line); } #chart text { fill: var(--muted); font-size: 11px; }
.legend span { margin-right: 16px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.legend .in { background: var(--in); } .legend .out { background: var(--out); } .legend .exp { background: var(--exp); }
.controls { display: flex; gap: 8px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
input, select { font: inherit; padding: 4px 8px; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
#filter { min-width: 260px; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--low); }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.sev { font-weight: 600; } .sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
.files { max-width: 360px; word-break: break-all; }
.yes { font-weight: 600; color: var(--high); }
ol.todo li { margin-bottom: 12px; }
@media print { .controls { display: none; } }
`;

const SCRIPT = `
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("lg-data").textContent);

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(e);
    return e;
  }

  function drawChart(svg, buckets) {
    var W = 800, H = 260, L = 40, R = 40, T = 12, B = 40;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    if (!buckets.length) {
      var t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg);
      t.textContent = "No dated secrets.";
      return;
    }
    var exposed = [], open = 0, max = 1, maxExp = 1;
    buckets.forEach(function (b) {
      open += b.introduced - b.removed;
      exposed.push(open);
      max = Math.max(max, b.introduced, b.removed);
      maxExp = Math.max(maxExp, open);
    });
    var pw = W - L - R, ph = H - T - B, step = pw / buckets.length, bw = Math.max(1, step / 2 - 1);
    var y = function (v) { return T + ph - (v / max) * ph; };
    var ye = function (v) { return T + ph - (v / maxExp) * ph; };
    el("line", { x1: L, y1: T + ph, x2: W - R, y2: T + ph, "class": "axis" }, svg);
    el("line", { x1: L, y1: T, x2: L, y2: T + ph, "class": "axis" }, svg);
    [0, max].forEach(function (v) {
      var t = el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, svg);
      t.textContent = String(v);
    });
    var te = el("text", { x: W - R + 6, y: ye(maxExp) + 4 }, svg);
    te.textContent = String(maxExp);
    var every = Math.max(1, Math.ceil(buckets.length / 12));
    var points = [];
    buckets.forEach(function (b, i) {
      var x = L + i * step;
      var tip = b.label + ": " + b.introduced + " introduced, " + b.removed + " removed, " + exposed[i] + " exposed";
      if (b.introduced > 0) {
        var r1 = el("rect", { x: x + 1, y: y(b.introduced), width: bw, height: T + ph - y(b.introduced), "class": "bar-in", "data-label": b.label }, svg);
        el("title", {}, r1).textContent = tip;
      }
      if (b.removed > 0) {
        var r2 = el("rect", { x: x + 1 + bw, y: y(b.removed), width: bw, height: T + ph - y(b.removed), "class": "bar-out", "data-label": b.label }, svg);
        el("title", {}, r2).textContent = tip;
      }
      points.push((i ? "L" : "M") + (x + step / 2).toFixed(1) + " " + ye(exposed[i]).toFixed(1));
      if (i % every === 0) {
        var lt = el("text", { x: x + step / 2, y: H - B + 16, "text-anchor": "middle" }, svg);
        lt.textContent = b.label;
      }
    });
    var p = el("path", { d: points.join(" "), "class": "exposed" }, svg);
    el("title", {}, p).textContent = "secrets exposed (introduced and not yet removed)";
  }

  function setupTable(table) {
    var tbody = table.tBodies[0];
    var ths = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var original = Array.prototype.slice.call(tbody.rows);
    function value(tr, i) {
      var cell = tr.cells[i];
      return cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    }
    function sortBy(i) {
      var th = ths[i];
      var numeric = th.getAttribute("data-type") === "num";
      var dir = th.getAttribute("aria-sort") === "descending" ? 1 : th.getAttribute("aria-sort") === "ascending" ? -1 : numeric ? -1 : 1;
      // Keys read once per sort; ties keep the original (risk) order.
      var keyed = original.map(function (tr, pos) {
        var v = value(tr, i);
        return { tr: tr, pos: pos, v: numeric ? Number(v) : v };
      });
      keyed.sort(function (a, b) {
        var c = numeric ? a.v - b.v : a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
        return c * dir || a.pos - b.pos;
      });
      ths.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k.tr); });
      tbody.appendChild(frag);
    }
    ths.forEach(function (th, i) {
      th.addEventListener("click", function () { sortBy(i); });
    });
    var filter = document.getElementById("filter");
    var severity = document.getElementById("severity");
    var count = document.getElementById("count");
    function applyFilter() {
      var q = filter.value.trim().toLowerCase();
      var sev = severity.value;
      var shown = 0;
      original.forEach(function (tr) {
        var ok = (!sev || tr.getAttribute("data-severity") === sev) && (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + original.length + " shown";
    }
    filter.addEventListener("input", applyFilter);
    severity.addEventListener("change", applyFilter);
    applyFilter();
  }

  drawChart(document.getElementById("chart"), data.timeline);
  var table = document.getElementById("secrets");
  if (table) setupTable(table);
})();
`;

function hash(s: string): string {
  return `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
}

/** The page's Content-Security-Policy: nothing from anywhere, except its own pinned style and script. */
export function contentSecurityPolicy(): string {
  return `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`;
}

function link(u: string): string {
  return /^https?:\/\/[^\s<>"']+$/.test(u) ? `<a href="${html(u)}" rel="noreferrer noopener">${html(u)}</a>` : html(u);
}

/** http(s) URL in prose, without trailing punctuation. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/g;

/** Prose (rule remediation) escaped, with its http(s) URLs made links. */
function linkify(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += html(text.slice(last, m.index)) + link(m[0]);
    last = m.index + m[0].length;
  }
  return out + html(text.slice(last));
}

function filesCell(r: InventoryRow): string {
  const shown = r.files.slice(0, 5).map((f) => `<code>${html(f)}</code>`).join("<br>");
  return r.files.length > 5 ? `${shown}<br><span class="muted">+${r.files.length - 5} more</span>` : shown;
}

const COLUMNS: Array<{ head: string; num?: boolean; cell: (r: InventoryRow, o: InventoryViewOptions) => string }> = [
  { head: "risk", num: true, cell: (r) => `<td class="num" data-v="${r.risk}">${r.risk}</td>` },
  { head: "severity", num: true, cell: (r) => `<td data-v="${SEV_RANK[r.severity]}" class="sev sev-${r.severity}">${r.severity}</td>` },
  { head: "rule", cell: (r) => `<td><span title="${html(r.title)}">${html(r.ruleId)}</span></td>` },
  { head: "secret", cell: (r, o) => `<td><code>${html(shownSecret(r, o))}</code></td>` },
  { head: "first seen", cell: (r) => `<td data-v="${html(r.introduced.date)}">${html(day(r.introduced.date))}</td>` },
  { head: "at HEAD", cell: (r) => `<td${r.atHead ? ' class="yes"' : ""}>${r.atHead ? "yes" : "no"}</td>` },
  { head: "exposure days", num: true, cell: (r) => `<td class="num" data-v="${r.exposureDays}">${r.exposureDays}</td>` },
  { head: "reused", cell: (r) => `<td>${r.reused ? "yes" : "no"}</td>` },
  { head: "files", cell: (r) => `<td class="files">${filesCell(r)}</td>` },
];

function card(label: string, n: number): string {
  return `<div class="card"><b>${n}</b>${html(label)}</div>`;
}

function todo(r: InventoryRow, o: InventoryViewOptions): string {
  const parts: string[] = [];
  parts.push(
    `<h3>${html(r.title)} <code>${html(shownSecret(r, o))}</code> <span class="sev sev-${r.severity}">${r.severity}</span>, risk ${r.risk}</h3>`,
  );
  parts.push(
    `<p class="muted">Introduced in <code>${html(r.introduced.commit.slice(0, 12))}</code> on ${html(day(r.introduced.date))} by ${html(r.introduced.author)}` +
      (r.removed ? `, removed in <code>${html(r.removed.commit.slice(0, 12))}</code> on ${html(day(r.removed.date))}` : ", still at HEAD") +
      `; exposed ${r.exposureDays} days${r.pushed ? ", pushed" : ""}; fingerprint <code>${html(r.fingerprint.slice(0, 16))}</code>.</p>`,
  );
  const steps: string[] = [`Rotate it: ${linkify(r.remediation || "revoke it at its provider and issue a new one.")}`];
  if (r.atHead) steps.push("Remove it from the code and load it from a secret store or the environment.");
  steps.push("Purge it from history if the repository is shared (e.g. <code>git filter-repo --replace-text</code>), after rotating.");
  if (r.reused) steps.push(`It is reused${r.otherRules.length ? ` (also matched by ${r.otherRules.map(html).join(", ")})` : ""}: rotate every place that uses it.`);
  if (r.canary) steps.push("It is a canary token: if it fired, someone has the repository.");
  if (r.references.length) steps.push(`References: ${r.references.map(link).join(", ")}`);
  parts.push(`<ul>${steps.map((s) => `<li>${s}</li>`).join("")}</ul>`);
  return `<li>${parts.join("")}</li>`;
}

export default function inventoryHtml(inv: Inventory, opts: InventoryViewOptions): string {
  const s = inv.summary;
  const rows = byRisk(inv.rows);
  const title = `Secret inventory: ${inv.repository}`;
  const data = { generatedAt: inv.generatedAt, timeline: timeline(inv) };
  const head = inv.head ? ` at ${html(inv.head.ref)} <code>${html(inv.head.commit.slice(0, 12))}</code>` : "";
  const table = rows.length
    ? `<div class="controls">
<input id="filter" type="search" placeholder="Filter: rule, file, author…" aria-label="Filter secrets">
<select id="severity" aria-label="Severity"><option value="">all severities</option>${(["critical", "high", "medium", "low"] as const)
        .map((k) => `<option value="${k}">${k}</option>`)
        .join("")}</select>
<span id="count" class="muted" aria-live="polite"></span>
</div>
<div class="wrap"><table id="secrets">
<thead><tr>${COLUMNS.map((c) => `<th${c.num ? ' class="num" data-type="num"' : ""}${c.head === "risk" ? ' aria-sort="descending"' : ""} scope="col"><button type="button">${html(c.head)}</button></th>`).join("")}</tr></thead>
<tbody>
${rows.map((r) => `<tr data-severity="${r.severity}" data-fingerprint="${html(r.fingerprint)}">${COLUMNS.map((c) => c.cell(r, opts)).join("")}</tr>`).join("\n")}
</tbody>
</table></div>
<h2>What to do</h2>
<ol class="todo">
${rows.map((r) => todo(r, opts)).join("\n")}
</ol>`
    : `<p>No secrets found in the history.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${html(contentSecurityPolicy())}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Secret inventory</h1>
<p class="meta"><code>${html(inv.repository)}</code>${head} · ${s.commitsScanned} commits scanned · generated by leakguard ${html(inv.version)} on ${html(day(inv.generatedAt))}</p>
</header>
<section class="cards" aria-label="Summary">
${card("distinct secrets", s.secrets)}
${card("still at HEAD", s.atHead)}
${card("removed, still in history", s.removedButInHistory)}
${card("reused", s.reused)}
${card("canaries", s.canaries)}
${(["critical", "high", "medium", "low"] as const).map((k) => card(k, s.bySeverity[k])).join("\n")}
</section>
<h2>Timeline</h2>
<figure>
<svg id="chart" role="img" aria-label="Secrets introduced and removed per month" xmlns="http://www.w3.org/2000/svg"></svg>
<figcaption class="legend muted"><span><i class="in"></i>introduced</span><span><i class="out"></i>removed</span><span><i class="exp"></i>exposed (right axis)</span></figcaption>
</figure>
<h2>Secrets</h2>
${table}
<script type="application/json" id="lg-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
