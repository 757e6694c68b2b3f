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
import type { WebRepository } from "../../inventory/remote.js";
import { renderMarkdown, safeLink } from "./mini-markdown.js";
import { byRisk, commitLink, day, exposureClause, fileLink, filesWeb, keyIdLabel, liveAtHead, presenceStateText, reusedStep, rotationClause, rotationRecord, rowWeb, secretCell, SEVERITIES, stateText, timeline, type InventoryViewOptions } from "./view.js";

/** Sort key of a severity in the table: the most severe sorts highest. */
const sevRank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s);

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --card: #f6f8fa; --line: #d1d9e0;
  --critical: #b3261e; --high: #d1242f; --medium: #9a6700; --low: #0969da; --in: #cf222e; --out: #1a7f37; --exp: #8250df; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d;
  --critical: #ff7b72; --high: #f85149; --medium: #d29922; --low: #58a6ff; --in: #f85149; --out: #3fb950; --exp: #bc8cff; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1440px; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 16px 0 4px; }
.meta, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
figure { margin: 0; } #chart { max-width: 100%; height: auto; display: block; }
#chart .bar-in { fill: var(--in); } #chart .bar-out { fill: var(--muted); } #chart .bar-rot { fill: var(--out); } #chart .exposed { fill: none; stroke: var(--exp); stroke-width: 2; }
#chart .axis { stroke: var(--line); } #chart text { fill: var(--muted); font-size: 11px; }
.legend span { margin-right: 16px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.legend .in { background: var(--in); } .legend .out { background: var(--muted); } .legend .rot { background: var(--out); } .legend .exp { background: var(--exp); }
.controls { display: flex; gap: 8px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
input, select { font: inherit; padding: 4px 8px; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
#filter { min-width: min(260px, 100%); }
a { color: var(--low); }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--low); }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.sev { font-weight: 600; } .sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
.files { min-width: 12em; max-width: 360px; } .files code { word-break: normal; overflow-wrap: anywhere; }
#secrets th, #secrets td[data-label="rule"] { white-space: nowrap; } td.secret { max-width: 22em; }
#secrets td[data-label="first seen"], #secrets td[data-label="risk"], #secrets td[data-label="severity"] { white-space: nowrap; }
.yes { font-weight: 600; color: var(--high); }
.state-rotated { color: var(--out); font-weight: 600; }
.warning { border: 1px solid var(--medium); border-radius: 8px; padding: 8px 12px; color: var(--fg); background: var(--card); }
.md { display: inline; } .md p { display: inline; margin: 0; } .md ul, .md ol { margin: 4px 0; }
table.presence, table.repos { width: auto; margin: 4px 0 8px; }
td.secret code { word-break: break-word; overflow-wrap: anywhere; }
#secrets tr[hidden] { display: none; }
@media (max-width: 760px) {
  body { padding: 12px; }
  .cards { gap: 6px; } .card { min-width: 0; flex: 1 1 28%; padding: 6px 8px; font-size: 12px; } .card b { font-size: 18px; }
  #secrets thead { display: none; }
  #secrets, #secrets tbody { display: block; }
  #secrets tr { display: block; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 10px; padding: 6px 10px; }
  #secrets tr[hidden] { display: none; }
  #secrets td { display: grid; grid-template-columns: 7.5em minmax(0, 1fr); gap: 8px; border: 0; padding: 2px 0; text-align: left; max-width: none; }
  #secrets td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  #secrets td[data-label] { white-space: normal; overflow-wrap: anywhere; }
}
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
    // A short history draws a small chart: width grows with the number of periods.
    var n = Math.max(1, buckets.length);
    var W = Math.max(320, Math.min(800, 80 + n * 64)), H = n <= 12 ? 180 : 260, L = 40, R = 40, T = 12, B = 40;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("width", String(W));
    if (!buckets.length) {
      var t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg);
      t.textContent = "No dated secrets.";
      return;
    }
    var exposed = [], open = 0, max = 1, maxExp = 1;
    buckets.forEach(function (b) {
      open += b.introduced - b.rotated;
      exposed.push(open);
      max = Math.max(max, b.introduced, b.removed, b.rotated);
      maxExp = Math.max(maxExp, open);
    });
    var pw = W - L - R, ph = H - T - B, step = pw / buckets.length, bw = Math.max(1, Math.min(18, step / 3 - 1));
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
    var every = Math.max(1, Math.ceil(buckets.length / Math.max(2, Math.floor(pw / 70))));
    var points = [];
    buckets.forEach(function (b, i) {
      var x = L + i * step, x0 = x + step / 2 - (3 * bw) / 2;
      var tip = b.label + ": " + b.introduced + " introduced, " + b.removed + " removed from HEAD, " + b.rotated + " rotated, " + exposed[i] + " exposed";
      [["introduced", "bar-in"], ["removed", "bar-out"], ["rotated", "bar-rot"]].forEach(function (k, j) {
        var v = b[k[0]];
        if (v > 0) {
          var r = el("rect", { x: x0 + j * bw, y: y(v), width: bw, height: T + ph - y(v), "class": k[1], "data-label": b.label }, svg);
          el("title", {}, r).textContent = tip;
        }
      });
      points.push((i ? "L" : "M") + (x + step / 2).toFixed(1) + " " + ye(exposed[i]).toFixed(1));
      if (i % every === 0) {
        var lt = el("text", { x: x + step / 2, y: H - B + 16, "text-anchor": "middle" }, svg);
        lt.textContent = b.label;
      }
    });
    var p = el("path", { d: points.join(" "), "class": "exposed" }, svg);
    el("title", {}, p).textContent = "secrets exposed (introduced and not yet rotated)";
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

/** A link when `url` is known, else the label alone (escaped). */
function maybeLink(url: string | undefined, labelHtml: string): string {
  return url ? `<a href="${html(url)}" rel="noreferrer noopener">${labelHtml}</a>` : labelHtml;
}

function filesCell(web: WebRepository | undefined, r: Pick<InventoryRow, "files" | "fileCommits">): string {
  const shown = r.files
    .slice(0, 5)
    .map((f) => maybeLink(fileLink(web, r, f), `<code>${html(f)}</code>`))
    .join("<br>");
  return r.files.length > 5 ? `${shown}<br><span class="muted">+${r.files.length - 5} more</span>` : shown;
}

function stateCell(r: InventoryRow): string {
  const rank = r.rotated ? 0 : r.atHead ? 2 : 1;
  const cls = r.rotated ? "state-rotated" : r.atHead ? "yes" : "";
  const title = r.rotated ? ` title="${html(`${stateText(r)}${r.rotated.reason ? `: ${r.rotated.reason}` : ""}`)}"` : "";
  return `<td data-v="${rank}"${cls ? ` class="${cls}"` : ""}${title}>${html(stateText(r))}</td>`;
}

function reposCell(r: InventoryRow): string {
  const ps = r.repositories ?? [];
  return `<td data-v="${ps.length}"><b>${ps.length}</b> ${ps.map((p) => html(p.name)).join(", ")}</td>`;
}

type Column = { head: string; key: string; num?: boolean; cell: (r: InventoryRow, o: InventoryViewOptions, inv: Inventory) => string };

const COLUMNS: Column[] = [
  { head: "risk", key: "risk", num: true, cell: (r) => `<td class="num" data-v="${r.risk}">${r.risk}</td>` },
  { head: "severity", key: "severity", num: true, cell: (r) => `<td data-v="${sevRank(r.severity)}" class="sev sev-${r.severity}">${r.severity}</td>` },
  { head: "rule", key: "rule", cell: (r) => `<td><span title="${html(r.title)}">${html(r.ruleId)}</span></td>` },
  { head: "secret", key: "secret", cell: (r, o) => `<td class="secret"><code>${html(secretCell(r, o))}</code></td>` },
  { head: "state", key: "state", cell: stateCell },
  { head: "author", key: "author", cell: (r) => `<td title="${html(r.introduced.email ?? "")}">${html(r.introduced.author)}</td>` },
  {
    head: "first seen",
    key: "first-seen",
    cell: (r, _o, inv) => `<td data-v="${html(r.introduced.date)}">${maybeLink(commitLink(rowWeb(inv, r), r.introduced.commit), html(day(r.introduced.date)))}</td>`,
  },
  { head: "exposure days", key: "exposure", num: true, cell: (r) => `<td class="num" data-v="${r.exposureDays}">${r.exposureDays}</td>` },
  { head: "reused", key: "reused", cell: (r) => `<td>${r.reused ? "yes" : "no"}</td>` },
  { head: "files", key: "files", cell: (r, _o, inv) => `<td class="files">${filesCell(filesWeb(inv, r), r)}</td>` },
];

/**
 * A cell with its column's name (shown before the value in the phone layout)
 * and its content in one element, so the two-column grid there keeps it whole.
 */
function labelled(td: string, head: string): string {
  const open = td.indexOf(">") + 1;
  return `<td data-label="${html(head)}"${td.slice(3, open)}<div>${td.slice(open, td.length - "</td>".length)}</div></td>`;
}

/** The organisation inventory's extra column. */
const REPOS_COLUMN: Column = { head: "repositories", key: "repos", num: true, cell: reposCell };

function columnsOf(inv: Inventory): Column[] {
  return inv.repositories ? [...COLUMNS.slice(0, 4), REPOS_COLUMN, ...COLUMNS.slice(4)] : COLUMNS;
}

/** The organisation inventory's list of merged repositories. */
function repositoriesSection(inv: Inventory): string {
  const rows = (inv.repositories ?? []).map(
    (r) =>
      `<tr><td>${maybeLink(r.web?.url, html(r.name))}</td><td class="num">${r.secrets}</td><td class="num">${r.commitsScanned}</td><td>${html(day(r.generatedAt))}</td><td><code>${html(keyIdLabel(r))}</code></td></tr>`,
  );
  return `<h2>Repositories</h2>
<div class="wrap"><table class="repos"><thead><tr><th scope="col">repository</th><th scope="col" class="num">secrets</th><th scope="col" class="num">commits</th><th scope="col">scanned</th><th scope="col">fingerprint key id</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function card(label: string, n: number): string {
  return `<div class="card"><b>${n}</b>${html(label)}</div>`;
}

function commitRef(web: WebRepository | undefined, c: { commit: string }): string {
  return maybeLink(commitLink(web, c.commit), `<code>${html(c.commit.slice(0, 12))}</code>`);
}

/** Per-repository lines of a secret in an organisation inventory. */
function presenceTable(r: InventoryRow): string {
  const ps = r.repositories ?? [];
  if (ps.length === 0) return "";
  const rows = ps.map(
    (p) =>
      `<tr><td>${html(p.name)}</td><td>${commitRef(p.web, p.introduced)} ${html(day(p.introduced.date))}</td><td>${html(p.introduced.author)}</td><td>${liveAtHead(p) ? '<span class="yes">at HEAD</span>' : html(presenceStateText(p))}</td><td class="num">${p.exposureDays}</td><td class="files">${filesCell(p.web, p)}</td></tr>`,
  );
  return `<div class="wrap"><table class="presence"><thead><tr><th scope="col">repository</th><th scope="col">first seen</th><th scope="col">author</th><th scope="col">state</th><th scope="col" class="num">exposure days</th><th scope="col">files</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function todo(r: InventoryRow, o: InventoryViewOptions, inv: Inventory): string {
  const web = rowWeb(inv, r);
  const parts: string[] = [];
  parts.push(
    `<h3>${html(r.title)} <code>${html(secretCell(r, o))}</code> <span class="sev sev-${r.severity}">${r.severity}</span>, risk ${r.risk}</h3>`,
  );
  const where = r.repositories ? ` in ${r.repositories.length} repositor${r.repositories.length === 1 ? "y" : "ies"}` : "";
  parts.push(
    `<p class="muted">Introduced in ${commitRef(web, r.introduced)} on ${html(day(r.introduced.date))} by ${html(r.introduced.author)}${where}` +
      (r.removed ? `, removed in ${commitRef(web, r.removed)} on ${html(day(r.removed.date))}` : r.atHead ? ", still at HEAD" : "") +
      html(rotationClause(r)) +
      `${exposureClause(r)}${r.pushed ? ", pushed" : ""}; fingerprint <code>${html(r.fingerprint.slice(0, 16))}</code>.</p>`,
  );
  parts.push(presenceTable(r));
  const steps: string[] = [];
  if (r.rotated) steps.push("Rotated: nothing to revoke. Check that no system still uses the old value.");
  else steps.push(`<div class="md"><b>Rotate it:</b> ${renderMarkdown(r.remediation || "revoke it at its provider and issue a new one.")}</div>`);
  if (r.atHead) steps.push("Remove it from the code and load it from a secret store or the environment.");
  steps.push("Purge it from history if the repository is shared (e.g. <code>git filter-repo --replace-text</code>), after rotating.");
  if (!r.rotated) steps.push(`When it is rotated, record it in <code>.leakguardignore</code>: <code>${html(rotationRecord(r.fingerprint))}</code>.`);
  if (r.reused) steps.push(html(reusedStep(r)));
  if (r.canary) steps.push("It is a canary token: if it fired, someone has the repository.");
  if (r.references.length) steps.push(`References: ${r.references.map((u) => safeLink(u)).join(", ")}`);
  parts.push(`<ul>${steps.map((s) => `<li>${s}</li>`).join("")}</ul>`);
  return `<li>${parts.join("")}</li>`;
}

export default function inventoryHtml(inv: Inventory, opts: InventoryViewOptions): string {
  const s = inv.summary;
  const rows = byRisk(inv.rows);
  const org = inv.repositories !== undefined;
  const cols = columnsOf(inv);
  const title = org ? `Organisation secret inventory: ${inv.repository}` : `Secret inventory: ${inv.repository}`;
  const data = { generatedAt: inv.generatedAt, timeline: timeline(inv) };
  const head = inv.head ? ` at ${html(inv.head.ref)} <code>${html(inv.head.commit.slice(0, 12))}</code>` : "";
  const table = rows.length
    ? `<div class="controls">
<input id="filter" type="search" placeholder="Filter: rule, file, author…" aria-label="Filter secrets">
<select id="severity" aria-label="Severity"><option value="">all severities</option>${SEVERITIES.map((k) => `<option value="${k}">${k}</option>`)
        .join("")}</select>
<span id="count" class="muted" aria-live="polite"></span>
</div>
<div class="wrap"><table id="secrets">
<thead><tr>${cols.map((c) => `<th class="c-${c.key}${c.num ? " num" : ""}"${c.num ? ' data-type="num"' : ""}${c.head === "risk" ? ' aria-sort="descending"' : ""} scope="col"><button type="button">${html(c.head)}</button></th>`).join("")}</tr></thead>
<tbody>
${rows.map((r) => `<tr data-severity="${r.severity}" data-state="${r.state}" data-fingerprint="${html(r.fingerprint)}">${cols.map((c) => labelled(c.cell(r, opts, inv), c.head)).join("")}</tr>`).join("\n")}
</tbody>
</table></div>
<h2>What to do</h2>
<ol class="todo">
${rows.map((r) => todo(r, opts, inv)).join("\n")}
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
<h1>${org ? "Organisation secret inventory" : "Secret inventory"}</h1>
<p class="meta">${org ? `${inv.repositories!.length} repositories` : `<code>${html(inv.repository)}</code>${head}`} · ${s.commitsScanned} commits scanned · generated by leakguard ${html(inv.version)} on ${html(day(inv.generatedAt))}</p>
${(inv.warnings ?? []).map((w) => `<p class="warning" role="alert">⚠ ${html(w)}</p>`).join("\n")}
</header>
<section class="cards" aria-label="Summary">
${card("distinct secrets", s.secrets)}
${org ? card("in several repositories", s.sharedAcrossRepositories ?? 0) : ""}
${card("still at HEAD", s.atHead)}
${card("removed, still in history", s.removedButInHistory)}
${card("rotated", s.rotated ?? 0)}
${card("reused", s.reused)}
${card("canaries", s.canaries)}
${SEVERITIES.map((k) => card(k, s.bySeverity[k])).join("\n")}
</section>
${org ? repositoriesSection(inv) : ""}
<h2>Timeline</h2>
<figure>
<svg id="chart" role="img" aria-label="Secrets introduced, removed and rotated over time" xmlns="http://www.w3.org/2000/svg"></svg>
<figcaption class="legend muted"><span><i class="in"></i>introduced</span><span><i class="out"></i>removed from HEAD</span><span><i class="rot"></i>rotated</span><span><i class="exp"></i>exposed, not yet rotated (right axis)</span></figcaption>
</figure>
<h2>Secrets</h2>
${table}
<script type="application/json" id="lg-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
