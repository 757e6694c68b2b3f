import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { xmlAttr, xmlText } from "../../src/report/escape.js";
import { fixtureReport, ODD_FILES } from "../helpers/report-fixture.js";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testsuite" || name === "testcase", processEntities: true, htmlEntities: true });

function parse(xml: string): any {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

describe("junit", () => {
  it("is well-formed XML: one suite per file, one failing case per finding", async () => {
    const report = fixtureReport();
    const xml = await renderReport("junit", report, { showSecrets: false });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    // No character XML 1.0 forbids, even the ESC in a file name.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const doc = parse(xml).testsuites;
    expect(doc.tests).toBe(String(report.findings.length));
    expect(doc.failures).toBe(String(report.findings.length));
    const suites = doc.testsuite as any[];
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(report.findings.length);
    const names = suites.map((s) => s.name);
    expect(names).toContain(ODD_FILES.comma);
    expect(names).toContain(ODD_FILES.unicode);
    expect(names).toContain(ODD_FILES.formula);
    expect(names).toContain("ctl/esc\\u001b[31mred.txt");
    expect(names).toContain("commit-message 3f1c2a9b8d7e");
    // Attributes keep their newline (escaped as &#10;, not folded to a space).
    expect(names).toContain(ODD_FILES.newline);
    const first = cases[0];
    expect(first.classname).toBe(ODD_FILES.comma);
    expect(first.name).toBe("github-pat at 3:7");
    expect(first.failure.type).toBe("critical");
    expect(first.failure.message).toMatch(/^GitHub personal access token \(classic\): ghp_…$/);
    expect(first.failure["#text"]).toContain("rule: github-pat");
    const git = cases.find((c: any) => c.name.includes(" in 3f1c2a9b8d7e") && c.classname === "deploy/old.env");
    expect(git.name).toBe("aws-access-key-id at 12:7 in 3f1c2a9b8d7e");
    expect(git.failure["#text"]).toContain('commit: 3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a by Doe, Jane: the "ops" one');
    // Grouping: every case of a suite has that suite's classname.
    for (const s of suites) for (const c of s.testcase) expect(c.classname).toBe(s.name);
  });

  it("a clean run is one passing test case", async () => {
    const doc = parse(await renderReport("junit", emptyReport(), { showSecrets: false })).testsuites;
    expect(doc.tests).toBe("1");
    expect(doc.failures).toBe("0");
    const c = doc.testsuite[0].testcase[0];
    expect(c.name).toBe("no secrets found");
    expect(c.failure).toBeUndefined();
  });

  it("escapes markup, quotes, control characters and lone surrogates", () => {
    expect(xmlText("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
    expect(xmlAttr('x"y\tz\nw\r')).toBe("x&quot;y&#9;z&#10;w&#13;");
    expect(xmlText("\u0000\u001b\uFFFF")).toBe("\\u0000\\u001b\\uffff");
    expect(xmlText("\uD800x")).toBe("\\ud800x");
    expect(xmlText("🔑")).toBe("🔑");
    expect(XMLValidator.validate(`<a b="${xmlAttr("\u0001<\"'&")}">${xmlText("]]>\u0002</a>")}</a>`)).toBe(true);
  });
});
