import { describe, expect, it } from "vitest";
import { ghData, ghProperty } from "../../src/report/escape.js";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { fixtureReport, ODD_FILES } from "../helpers/report-fixture.js";

/** The runner's unescaping (actions/runner ActionCommand.cs): the inverse of ours. */
function unescape(s: string, property: boolean): string {
  let out = s.replace(/%0D/g, "\r").replace(/%0A/g, "\n");
  if (property) out = out.replace(/%3A/g, ":").replace(/%2C/g, ",");
  return out.replace(/%25/g, "%");
}

/** Parses `::cmd k=v,k=v::data` as the runner does. */
function parseCommand(line: string): { command: string; props: Record<string, string>; data: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? "").split(",").filter(Boolean)) {
    const i = kv.indexOf("=");
    props[kv.slice(0, i)] = unescape(kv.slice(i + 1), true);
  }
  return { command: m[1]!, props, data: unescape(m[3]!, false) };
}

describe("github", () => {
  it("one annotation per finding, level by severity, positions and escaped file names", async () => {
    const report = fixtureReport();
    const out = await renderReport("github", report, { showSecrets: false });
    const lines = out.split("\n").filter(Boolean);
    const commands = lines.filter((l) => l.startsWith("::")).map(parseCommand);
    const annotations = commands.filter((c) => c.props.title !== "leakguard");
    expect(annotations).toHaveLength(report.findings.length);
    expect(annotations.map((a) => a.command)).toEqual(report.findings.map((f) => ({ critical: "error", high: "error", medium: "warning", low: "notice" })[f.severity]));
    const first = annotations[0]!;
    expect(first.props).toEqual({ file: ODD_FILES.comma, line: "3", endLine: "3", col: "7", endColumn: String(7 + report.findings[0]!.secret.length), title: "GitHub personal access token (classic) (github-pat)" });
    expect(first.data).toContain("ghp_…");
    // Newline and colon in a file name survive the escaping.
    expect(annotations[1]!.props.file).toBe(ODD_FILES.newline);
    expect(annotations[4]!.props.file).toBe(ODD_FILES.uri);
    // A commit-message finding has no file.
    const msg = annotations[7]!;
    expect(msg.props.file).toBeUndefined();
    expect(msg.data).toContain("in the commit message of 3f1c2a9b8d7e (line 2)");
    // Each command stays on one physical line.
    expect(lines.filter((l) => l.startsWith("::"))).toHaveLength(report.findings.length + report.warnings.length);
    expect(lines.at(-1)).toBe("leakguard: 8 secrets found (3 critical, 2 high, 2 medium, 1 low); 42 files scanned, 1 suppressed");
    expect(commands.find((c) => c.props.title === "leakguard")!.data).toBe("shallow clone: history may be incomplete");
  });

  it("a clean run prints the summary line only; --quiet prints nothing", async () => {
    expect(await renderReport("github", emptyReport(), { showSecrets: false })).toBe("leakguard: no secrets found; 0 files scanned, 0 suppressed\n");
    expect(await renderReport("github", emptyReport(), { showSecrets: false, quiet: true })).toBe("");
  });

  it("escapes % CR LF in data and also : , in properties", () => {
    expect(ghData("50%\r\nx:y,z")).toBe("50%25%0D%0Ax:y,z");
    expect(ghProperty("50%\r\nx:y,z")).toBe("50%25%0D%0Ax%3Ay%2Cz");
    for (const s of ["%0A", "a%25b", "::error::x", "a,b:c\n%"]) {
      expect(unescape(ghProperty(s), true)).toBe(s);
      expect(unescape(ghData(s), false)).toBe(s);
    }
  });
});
