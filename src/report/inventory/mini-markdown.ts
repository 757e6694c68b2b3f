/**
 * A small, safe Markdown-to-HTML renderer for remediation text (rule files and
 * custom rules are written by people who may paste anything). It knows only
 * what remediation text uses: paragraphs, `-`/`*` and `1.` lists, `` `code` ``,
 * `**bold**`, `[text](https://…)` links and bare http(s) URLs. Everything else
 * is text: every character is HTML-escaped first, no raw HTML passes, and
 * links are made only for http(s) URLs (a `javascript:` link stays text).
 * Linear time: one pass per line, no backtracking patterns. Pure.
 *
 * @example
 *   renderMarkdown("Run `aws iam delete-access-key`, see [docs](https://docs.aws.amazon.com/).");
 */
import { html } from "../escape.js";

/** http(s) URL in prose, without trailing punctuation. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/g;
const SAFE_URL = /^https?:\/\/[^\s<>"'`]+$/;

/** An http(s) link, escaped. */
export function safeLink(url: string, text: string = url): string {
  return SAFE_URL.test(url) ? `<a href="${html(url)}" rel="noreferrer noopener">${html(text)}</a>` : html(text);
}

/** Bare URLs in plain text become links; the rest is escaped. */
function linkify(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += emphasis(text.slice(last, m.index)) + safeLink(m[0]);
    last = m.index + m[0].length;
  }
  return out + emphasis(text.slice(last));
}

/** `**bold**` in escaped text; an unpaired `**` stays as written. */
function emphasis(text: string): string {
  const parts = text.split("**");
  let out = html(parts[0]!);
  for (let i = 1; i < parts.length; i++) {
    const paired = i % 2 === 1 && i + 1 < parts.length;
    if (paired) out += `<strong>${html(parts[i]!)}</strong>`;
    else out += (i % 2 === 1 ? "**" : "") + html(parts[i]!);
  }
  return out;
}

/** Index of `c` at or after `from`, or the text's length when there is none. */
function indexOrEnd(text: string, c: string, from: number): number {
  const i = text.indexOf(c, from);
  return i < 0 ? text.length : i;
}

/** Inline Markdown of one line: code spans first (their content is literal), then links, URLs and bold. */
export function renderInline(text: string): string {
  let out = "";
  let i = 0;
  let nextClose = -1;
  let nextParen = -1;
  let nextTick = -1;
  let nextBracket = -1;
  while (i < text.length) {
    if (nextTick < i) nextTick = indexOrEnd(text, "`", i);
    if (nextBracket < i) nextBracket = indexOrEnd(text, "[", i);
    const tick = nextTick;
    const bracket = nextBracket;
    if (tick === text.length && bracket === text.length) break;
    if (tick < bracket) {
      const end = text.indexOf("`", tick + 1);
      if (end < 0) break;
      out += linkify(text.slice(i, tick)) + `<code>${html(text.slice(tick + 1, end))}</code>`;
      i = end + 1;
      continue;
    }
    // [text](url): the label ends at the first "]", the URL at the first ")".
    // Searches are remembered, so a line of many "[" stays linear.
    if (nextClose <= bracket) nextClose = indexOrEnd(text, "]", bracket + 1);
    const close = nextClose < text.length ? nextClose : -1;
    if (close > 0 && text[close + 1] === "(") {
      if (nextParen <= close + 1) nextParen = indexOrEnd(text, ")", close + 2);
      const end = nextParen < text.length ? nextParen : -1;
      if (end > 0) {
        const url = text.slice(close + 2, end).trim();
        out += linkify(text.slice(i, bracket)) + (SAFE_URL.test(url) ? safeLink(url, text.slice(bracket + 1, close)) : html(text.slice(bracket, end + 1)));
        i = end + 1;
        continue;
      }
    }
    out += linkify(text.slice(i, bracket + 1));
    i = bracket + 1;
  }
  return out + linkify(text.slice(i));
}

/** Block Markdown: paragraphs and lists (one level), each line inline-rendered. */
export function renderMarkdown(text: string): string {
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: "ul" | "ol"; items: string[] } | undefined;
  const flushPara = (): void => {
    if (para.length) out.push(`<p>${para.map(renderInline).join(" ")}</p>`);
    para = [];
  };
  const flushList = (): void => {
    if (list) out.push(`<${list.tag}>${list.items.map((x) => `<li>${renderInline(x)}</li>`).join("")}</${list.tag}>`);
    list = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const bullet = /^[-*] (.*)$/.exec(line);
    const numbered = /^\d{1,3}[.)] (.*)$/.exec(line);
    if (line === "") {
      flushPara();
      flushList();
    } else if (bullet || numbered) {
      flushPara();
      const tag = bullet ? "ul" : "ol";
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list && /^\s/.test(raw)) {
      // An indented line continues the list item.
      list.items[list.items.length - 1] += " " + line;
    } else {
      flushList();
      para.push(line);
    }
  }
  flushPara();
  flushList();
  return out.join("");
}
