import { describe, expect, it, vi } from "vitest";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { formatCount } from "../../src/report/summary.js";
import { fixtureReport } from "../helpers/report-fixture.js";

describe("text summary", () => {
  it("counts by severity, suppressed, files, bytes and time", async () => {
    const out = await renderReport("text", fixtureReport(), { showSecrets: false });
    const last = out.trimEnd().split("\n").at(-1)!;
    expect(last).toBe("8 secrets found (3 critical, 2 high, 2 medium, 1 low) 42 files, 120.6 KiB in 1.23s · 1 suppressed: 1 inline (--show-suppressed) · skipped: 2 binary");
    expect(out).toContain("warning: shallow clone: history may be incomplete");
  });

  it("control characters in file names cannot drive the terminal", async () => {
    const out = await renderReport("text", fixtureReport(), { showSecrets: false, color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(out).toContain("ctl/esc\\u001b[31mred.txt");
    expect(out).toContain("notes/line\\u000abreak.txt");
  });

  it("a clean run says so, with the same counters", async () => {
    const r = emptyReport();
    r.stats = { files: 3, bytes: 2048, skipped: {}, durationMs: 50 };
    expect(await renderReport("text", r, { showSecrets: false })).toBe("No secrets found. 3 files, 2.0 KiB in 0.05s\n");
  });
});

describe("suppression counts and plurals", () => {
  it("what the user suppressed is counted by reason, apart from what the rules rejected; one file is '1 file'", async () => {
    const r = fixtureReport();
    const base = r.suppressed[0]!;
    const f = base.finding;
    r.findings = [r.findings[0]!];
    r.stats = { files: 1, bytes: 10, skipped: {}, durationMs: 10, commits: 1 };
    r.warnings = [];
    r.suppressed = [
      { finding: f, reason: "ignore-file", detail: ".leakguardignore:1" },
      { finding: f, reason: "ignore-file", detail: ".leakguardignore:2" },
      { finding: f, reason: "baseline", detail: ".leakguard-baseline.json" },
      { finding: f, reason: "allowlist", detail: "global allowlist: paths" },
      // The rules' own checks: not the user's doing.
      ...Array.from({ length: 1579 }, () => ({ finding: f, reason: "entropy" as const, detail: "entropy 2 < 3.5" })),
      { finding: f, reason: "allowlist", detail: `${f.ruleId}: regex` },
    ];
    const out = await renderReport("text", r, { showSecrets: false });
    expect(out.trimEnd().split("\n").at(-1)).toBe("1 secret found (1 critical) 1 commit, 1 blob, 10 B in 0.01s · 4 suppressed: 2 ignore file, 1 baseline, 1 allowlist (--show-suppressed)");
    const shown = await renderReport("text", r, { showSuppressed: true, showSecrets: false });
    expect(shown.trimEnd().split("\n").at(-1)).toContain("· 4 suppressed: 2 ignore file, 1 baseline, 1 allowlist · 1,580 candidates rejected by the rules' checks");
    const json = JSON.parse(await renderReport("json", r, { showSecrets: false }));
    expect(json.summary).toMatchObject({ suppressed: 4, suppressedBy: { "ignore-file": 2, baseline: 1, allowlist: 1 }, rejected: 1580 });
  });

  it("a clean scan with only rejected candidates mentions no suppression", async () => {
    const r = emptyReport();
    const f = fixtureReport().suppressed[0]!.finding;
    r.stats = { files: 1, bytes: 2048, skipped: {}, durationMs: 50 };
    r.suppressed = [{ finding: f, reason: "placeholder", detail: "x" }];
    expect(await renderReport("text", r, { showSecrets: false })).toBe("No secrets found. 1 file, 2.0 KiB in 0.05s\n");
    expect(await renderReport("github", r, { showSecrets: false })).toBe("leakguard: no secrets found; 1 file scanned, 0 suppressed\n");
  });
});

describe("counts without ICU", () => {
  it("formatCount writes whole numbers as toLocaleString('en-US') does", () => {
    for (const n of [0, 1, 12, 999, 1000, 1579, 12345, 999999, 1000000, 1234567890, -1, -1234, Number.MAX_SAFE_INTEGER, 1.5]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
  });

  it("the text summary does not call toLocaleString (its first call loads ICU: start-up time of every staged run)", async () => {
    const r = emptyReport();
    r.stats = { files: 1579, bytes: 2048, skipped: {}, durationMs: 50, commits: 12345 };
    const spy = vi.spyOn(Number.prototype, "toLocaleString");
    try {
      expect(await renderReport("text", r, { showSecrets: false })).toBe("No secrets found. 12,345 commits, 1,579 blobs, 2.0 KiB in 0.05s\n");
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
