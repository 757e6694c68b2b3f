import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../src/report/escape.js";
import { FINDING_FIELDS } from "../../src/report/fields.js";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { fixtureReport, ODD_FILES } from "../helpers/report-fixture.js";
import { redactFinding } from "../../src/engine/redact.js";

describe("csv", () => {
  it("is RFC 4180: CRLF records, a header of the contract's fields, odd file names survive a round trip", async () => {
    const report = fixtureReport();
    const text = await renderReport("csv", report, { showSecrets: false });
    // Every record ends in CRLF; no bare LF outside quoted fields.
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parse(text, { record_delimiter: "\r\n", relax_quotes: false, relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...FINDING_FIELDS]);
    expect(rows).toHaveLength(report.findings.length + 1);
    const col = (name: string) => FINDING_FIELDS.indexOf(name as never);
    const files = rows.slice(1).map((r) => r[col("file")]);
    expect(files).toContain(ODD_FILES.comma);
    expect(files).toContain(ODD_FILES.newline);
    expect(files).toContain(ODD_FILES.unicode);
    expect(files).toContain(ODD_FILES.uri);
    expect(files).toContain(ODD_FILES.control);
    // Formula injection guard: the leading '=' is defused.
    expect(files).toContain("'" + ODD_FILES.formula);
    rows.slice(1).forEach((r, i) => {
      const f = redactFinding(report.findings[i]!);
      expect(r[col("ruleId")]).toBe(f.ruleId);
      expect(r[col("line")]).toBe(String(f.line));
      expect(r[col("secret")]).toBe(f.secret);
      expect(r[col("fingerprint")]).toBe(f.fingerprint);
      expect(r[col("message")]).toBe(f.message ?? "");
      expect(r[col("tags")]).toBe(f.tags.join(";"));
      expect(r[col("pushed")]).toBe(f.pushed === undefined ? "" : String(f.pushed));
      expect(r[col("author")]).toBe(f.author ?? "");
    });
  });

  it("an empty report is the header alone", async () => {
    expect(await renderReport("csv", emptyReport(), { showSecrets: false })).toBe(FINDING_FIELDS.join(",") + "\r\n");
  });

  it("quotes, doubles quotes and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("x\ny")).toBe('"x\ny"');
    expect(csvCell("x\ry")).toBe('"x\ry"');
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(s)).toBe("'" + s);
    expect(csvCell("=a,b")).toBe(`"'=a,b"`);
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(false)).toBe("false");
  });
});
